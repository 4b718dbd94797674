import type { AuthResponse, LoginBody, MediaView, RegisterBody, RoomView, UserView } from '@reelroom/contracts';
import { ApiError } from './api-error';
import { request, uploadFile, type UploadHandle } from './http';

const enc = encodeURIComponent;

/** Typed client for the Reelroom REST API (same origin, under /api). */
export const api = {
  auth: {
    register: (body: RegisterBody) => request<AuthResponse>('POST', '/api/auth/register', body),
    login: (body: LoginBody) => request<AuthResponse>('POST', '/api/auth/login', body),
    logout: () => request<void>('POST', '/api/auth/logout'),
    /** The signed-in user, or null when there is no valid session. */
    me: async (): Promise<UserView | null> => {
      try {
        return await request<UserView>('GET', '/api/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 401) return null;
        throw err;
      }
    },
  },
  rooms: {
    create: (name: string) => request<RoomView>('POST', '/api/rooms', { name }),
    list: () => request<RoomView[]>('GET', '/api/rooms'),
    get: (roomId: string) => request<RoomView>('GET', `/api/rooms/${enc(roomId)}`),
    join: (roomId: string) => request<RoomView>('POST', `/api/rooms/${enc(roomId)}/join`),
  },
  media: {
    listForRoom: (roomId: string) => request<MediaView[]>('GET', `/api/rooms/${enc(roomId)}/media`),
    get: (mediaId: string) => request<MediaView>('GET', `/api/media/${enc(mediaId)}`),
    retry: (mediaId: string) => request<MediaView>('POST', `/api/media/${enc(mediaId)}/retry`),
    cancel: (mediaId: string) => request<MediaView>('POST', `/api/media/${enc(mediaId)}/cancel`),
    remove: (mediaId: string) => request<void>('DELETE', `/api/media/${enc(mediaId)}`),
    upload: (roomId: string, file: File, onProgress: (fraction: number) => void): UploadHandle<MediaView> =>
      uploadFile<MediaView>(`/api/rooms/${enc(roomId)}/media`, 'file', file, onProgress),
  },
};

export { ApiError, errorMessage } from './api-error';
export { ResumableUpload, type ResumableProgress } from './resumable-upload';
