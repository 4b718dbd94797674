import type {
  AdminResetLinkView,
  ChangePasswordBody,
  PasswordResetConfirm,
  UpdateMeBody,
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
  LibraryView,
  LiveKeyView,
  LiveMode,
  LiveStateView,
  LoginBody,
  MediaView,
  MeView,
  RegisterBody,
  RoomView,
  SessionView,
  SubtitlesView,
  SubtitleView,
  UpdateRoomBody,
} from '@reelroom/contracts';
import { ApiError } from './api-error';
import { request, uploadFile, uploadForm, type UploadHandle } from './http';

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
    /** Account basics (issue 12). */
    rename: (body: UpdateMeBody) => request<MeView>('PATCH', '/api/auth/me', body),
    /** Signs out every other session of the account. */
    changePassword: (body: ChangePasswordBody) => request<{ otherSessionsSignedOut: number }>('POST', '/api/auth/password', body),
    /** "Forgot password?": the same answer whether or not an account has this email. */
    requestReset: (email: string) => request<{ message: string }>('POST', '/api/auth/password-reset', { email }),
    confirmReset: (body: PasswordResetConfirm) => request<void>('POST', '/api/auth/password-reset/confirm', body),
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
  /** My videos across my rooms (issue 12), and adding one to a room without uploading it again. */
  library: {
    list: () => request<LibraryView>('GET', '/api/library'),
    add: (roomId: string, mediaId: string) => request<MediaView>('POST', `/api/rooms/${enc(roomId)}/media/from-library`, { mediaId }),
  },
  /** Subtitle tracks of a media (issue 12). */
  subtitles: {
    list: (mediaId: string) => request<SubtitlesView>('GET', `/api/media/${enc(mediaId)}/subtitles`),
    /** Multipart: the SRT or WebVTT file with its label and BCP 47 language; an ApiError says why a file was refused. */
    upload: (mediaId: string, file: File, label: string, language: string) =>
      uploadForm<SubtitleView>(`/api/media/${enc(mediaId)}/subtitles`, { label, language, file }),
    remove: (mediaId: string, subtitleId: string) => request<void>('DELETE', `/api/media/${enc(mediaId)}/subtitles/${enc(subtitleId)}`),
    /** Host and moderators: the track the room suggests (null: none). */
    suggest: (mediaId: string, subtitleId: string | null) =>
      request<SubtitlesView>('PUT', `/api/media/${enc(mediaId)}/subtitles/suggestion`, { subtitleId }),
  },
  live: {
    state: (roomId: string) => request<LiveStateView>('GET', `/api/rooms/${enc(roomId)}/live`),
    /** Host only: a new stream key (the old one stops working). */
    /** Host only: a stream key for a live in this mode (standard HLS, or low latency: LL-HLS). */
    start: (roomId: string, mode: LiveMode = 'standard') => request<LiveKeyView>('POST', `/api/rooms/${enc(roomId)}/live`, { mode }),
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
    /** A one-time password reset link for the account with this email (servers without mail). */
    resetLink: (email: string) => request<AdminResetLinkView>('POST', '/api/admin/password-reset-links', { email }),
    cancel: (queue: AdminQueueName, jobId: string) => request<void>('POST', `/api/admin/queues/${enc(queue)}/jobs/${enc(jobId)}/cancel`),
    /** worker: `<host>~<pid>` (workerProcessKey). */
    drain: (worker: string) => request<void>('POST', `/api/admin/workers/${enc(worker)}/drain`),
    resumeWorker: (worker: string) => request<void>('POST', `/api/admin/workers/${enc(worker)}/resume`),
  },
};

export { ApiError, errorMessage } from './api-error';
export { ResumableUpload, type ResumableProgress } from './resumable-upload';
