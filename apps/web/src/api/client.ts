import type {
  CastUrlView,
  AdminJobView,
  AdminQueueName,
  AdminQueueView,
  AdminWorkerView,
  RoomPreview,
  BanView,
  AuthOptions,
  AuthResponse,
  GuestJoinBody,
  ImportOptions,
  LiveKeyView,
  LiveStateView,
  LoginBody,
  MediaView,
  MeView,
  RegisterBody,
  RoomView,
  SessionView,
  UpdateRoomBody,
} from '@reelroom/contracts';
import { ApiError } from './api-error';
import { request, uploadFile, type UploadHandle } from './http';

const enc = encodeURIComponent;

/** Typed client for the Reelroom REST API (same origin, under /api). */
export const api = {
  auth: {
    register: (body: RegisterBody) => request<AuthResponse>('POST', '/api/auth/register', body),
    login: (body: LoginBody) => request<AuthResponse>('POST', '/api/auth/login', body),
    logout: () => request<void>('POST', '/api/auth/logout'),
    /** Every session of this account, and every socket it has open. */
    logoutAll: () => request<void>('POST', '/api/auth/logout-all'),
    sessions: () => request<SessionView[]>('GET', '/api/auth/sessions'),
    /** Password sign-in on or off, and the OpenID Connect providers to show as "Continue with ...". */
    options: () => request<AuthOptions>('GET', '/api/auth/options'),
    revokeSession: (id: string) => request<void>('DELETE', `/api/auth/sessions/${enc(id)}`),
    /** The signed-in user (and whether they are an administrator), or null when there is no valid session. */
    me: async (): Promise<MeView | null> => {
      try {
        return await request<MeView>('GET', '/api/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 401) return null;
        throw err;
      }
    },
  },
  rooms: {
    create: (name: string, pin?: string) => request<RoomView>('POST', '/api/rooms', pin ? { name, pin } : { name }),
    list: () => request<RoomView[]>('GET', '/api/rooms'),
    get: (roomId: string) => request<RoomView>('GET', `/api/rooms/${enc(roomId)}`),
    /** No sign-in needed: what the join page shows once the link is known (the generic refusal otherwise). */
    preview: (roomId: string) => request<RoomPreview>('GET', `/api/rooms/${enc(roomId)}/preview`),
    join: (roomId: string, pin?: string) => request<RoomView>('POST', `/api/rooms/${enc(roomId)}/join`, pin ? { pin } : {}),
    /** Joins with a display name only; the reply also sets the session cookie. */
    joinAsGuest: (roomId: string, body: GuestJoinBody) =>
      request<AuthResponse & { room: RoomView }>('POST', `/api/rooms/${enc(roomId)}/guest`, body),
    /** Host only. `pin: null` removes the PIN. */
    update: (roomId: string, body: UpdateRoomBody) => request<RoomView>('PATCH', `/api/rooms/${enc(roomId)}`, body),
    /** Host only: everyone is disconnected and the room cannot be joined again (until reopened). */
    close: (roomId: string) => request<RoomView>('POST', `/api/rooms/${enc(roomId)}/close`),
    /** Host only: a closed room opens again. */
    reopen: (roomId: string) => request<RoomView>('POST', `/api/rooms/${enc(roomId)}/reopen`),
    /** Host and moderators. */
    bans: (roomId: string) => request<BanView[]>('GET', `/api/rooms/${enc(roomId)}/bans`),
    unban: (roomId: string, userId: string) => request<void>('DELETE', `/api/rooms/${enc(roomId)}/bans/${enc(userId)}`),
  },
  media: {
    listForRoom: (roomId: string) => request<MediaView[]>('GET', `/api/rooms/${enc(roomId)}/media`),
    get: (mediaId: string) => request<MediaView>('GET', `/api/media/${enc(mediaId)}`),
    /** Add by link: 202 with the `importing` item, or an ApiError whose message says why the link was refused. */
    importLink: (roomId: string, url: string) => request<MediaView>('POST', `/api/rooms/${enc(roomId)}/media/import`, { url }),
    /** Which links work here (yt-dlp for video pages only when the operator enabled it). */
    importOptions: () => request<ImportOptions>('GET', '/api/media/import/options'),
    retry: (mediaId: string) => request<MediaView>('POST', `/api/media/${enc(mediaId)}/retry`),
    cancel: (mediaId: string) => request<MediaView>('POST', `/api/media/${enc(mediaId)}/cancel`),
    remove: (mediaId: string) => request<void>('DELETE', `/api/media/${enc(mediaId)}`),
    /** A short-lived URL a casting receiver can play without the session cookie (this media only). */
    castUrl: (mediaId: string) => request<CastUrlView>('POST', `/api/media/${enc(mediaId)}/cast`),
    upload: (roomId: string, file: File, onProgress: (fraction: number) => void): UploadHandle<MediaView> =>
      uploadFile<MediaView>(`/api/rooms/${enc(roomId)}/media`, 'file', file, onProgress),
  },
  live: {
    state: (roomId: string) => request<LiveStateView>('GET', `/api/rooms/${enc(roomId)}/live`),
    /** Host only: a new stream key (the old one stops working). */
    start: (roomId: string) => request<LiveKeyView>('POST', `/api/rooms/${enc(roomId)}/live`, { mode: 'standard' }),
    rotateKey: (roomId: string) => request<LiveKeyView>('POST', `/api/rooms/${enc(roomId)}/live/rotate-key`),
    /** Host only: ends a running live and disables the key. */
    end: (roomId: string) => request<void>('DELETE', `/api/rooms/${enc(roomId)}/live`),
  },
  /** Administrators only (the rest get 401 / 403). */
  admin: {
    queues: () => request<AdminQueueView[]>('GET', '/api/admin/queues'),
    pause: (queue: AdminQueueName) => request<void>('POST', `/api/admin/queues/${enc(queue)}/pause`),
    resume: (queue: AdminQueueName) => request<void>('POST', `/api/admin/queues/${enc(queue)}/resume`),
    jobs: (queue: AdminQueueName, state: 'failed' | 'active', limit = 20) =>
      request<AdminJobView[]>('GET', `/api/admin/queues/${enc(queue)}/jobs?state=${state}&limit=${limit}`),
    retry: (queue: AdminQueueName, jobId: string) => request<void>('POST', `/api/admin/queues/${enc(queue)}/jobs/${enc(jobId)}/retry`),
    workers: () => request<AdminWorkerView[]>('GET', '/api/admin/workers'),
  },
};

export { ApiError, errorMessage } from './api-error';
export { ResumableUpload, type ResumableProgress } from './resumable-upload';
