import type { z } from 'zod';
import {
  adminJobIdParamSchema,
  adminJobsQuerySchema,
  adminJobViewSchema,
  adminQueueParamSchema,
  adminQueueViewSchema,
  adminWorkerViewSchema,
  createRoomBodySchema,
  guestJoinBodySchema,
  importRequestSchema,
  joinRoomBodySchema,
  loginBodySchema,
  meViewSchema,
  registerBodySchema,
  startLiveBodySchema,
  updateRoomBodySchema,
} from '@reelroom/contracts';

/** Who may call an operation: nobody in particular, a session (cookie or bearer), an administrator, a metrics scraper. */
export type Caller = 'anyone' | 'session' | 'admin' | 'metrics';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI style: /api/rooms/{id}. */
  path: string;
  tag: string;
  summary: string;
  caller: Caller;
  /** null: a plain string (the service answers 404 for a wrong one). */
  params?: Record<string, z.ZodType | null>;
  query?: z.ZodObject;
  /** The zod schema the controller validates the JSON body with (ZodPipe): the same object, not a copy. */
  body?: z.ZodType;
  /** Not JSON: multipart/form-data with a `file` field. */
  multipart?: boolean;
  /** The success status and, where the contracts have one, the schema of the answer. */
  ok: { status: number; description: string; schema?: z.ZodType; array?: boolean; contentType?: string };
  /** Other statuses worth knowing (every error body is {statusCode, message}). */
  errors?: number[];
}

// Path parameters the services check themselves (a wrong id is a 404): documented as strings.
const id = { id: null };
const room = id;
const media = { mediaId: null };

/**
 * Every HTTP route of the API, described once for the OpenAPI document (GET /api/openapi.json). Request
 * schemas are the contracts' zod schemas the controllers validate with; openapi.spec.ts checks that this
 * table and the controllers' routes are the same set, both ways. (tus at /api/uploads is its own protocol,
 * documented in README, and not listed.)
 */
export const OPERATIONS: Operation[] = [
  // auth
  { method: 'post', path: '/api/auth/register', tag: 'auth', summary: 'Create an account and sign in (sets the session cookie).', caller: 'anyone', body: registerBodySchema, ok: { status: 201, description: 'The user and an access token.' }, errors: [400, 409, 429] },
  { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Sign in with email and password.', caller: 'anyone', body: loginBodySchema, ok: { status: 200, description: 'The user and an access token.' }, errors: [400, 401, 429] },
  { method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'Sign this session out.', caller: 'session', ok: { status: 204, description: 'Signed out.' }, errors: [401] },
  { method: 'post', path: '/api/auth/logout-all', tag: 'auth', summary: 'Sign out every session of this account.', caller: 'session', ok: { status: 204, description: 'Signed out everywhere.' }, errors: [401] },
  { method: 'get', path: '/api/auth/sessions', tag: 'auth', summary: 'Where this account is signed in.', caller: 'session', ok: { status: 200, description: 'The sessions.' }, errors: [401] },
  { method: 'delete', path: '/api/auth/sessions/{id}', tag: 'auth', summary: 'Sign one of this account’s sessions out.', caller: 'session', params: id, ok: { status: 204, description: 'Signed out.' }, errors: [401, 404] },
  { method: 'get', path: '/api/auth/me', tag: 'auth', summary: 'The signed-in user, and whether they are an administrator.', caller: 'session', ok: { status: 200, description: 'The user.', schema: meViewSchema }, errors: [401] },
  // rooms
  { method: 'post', path: '/api/rooms', tag: 'rooms', summary: 'Create a room (optionally with a PIN).', caller: 'session', body: createRoomBodySchema, ok: { status: 201, description: 'The room.' }, errors: [400, 401] },
  { method: 'get', path: '/api/rooms', tag: 'rooms', summary: 'The rooms one is a member of.', caller: 'session', ok: { status: 200, description: 'The rooms.' }, errors: [401] },
  { method: 'get', path: '/api/rooms/{id}', tag: 'rooms', summary: 'One room.', caller: 'session', params: room, ok: { status: 200, description: 'The room.' }, errors: [401, 403, 404] },
  { method: 'patch', path: '/api/rooms/{id}', tag: 'rooms', summary: 'Host settings (name, PIN, wait for everyone, ...).', caller: 'session', params: room, body: updateRoomBodySchema, ok: { status: 200, description: 'The room.' }, errors: [400, 401, 403, 404] },
  { method: 'post', path: '/api/rooms/{id}/close', tag: 'rooms', summary: 'Close the room (host): everyone is disconnected.', caller: 'session', params: room, ok: { status: 200, description: 'The closed room.' }, errors: [401, 404] },
  { method: 'post', path: '/api/rooms/{id}/join', tag: 'rooms', summary: 'Join a room (with its PIN when it has one).', caller: 'session', params: room, body: joinRoomBodySchema, ok: { status: 200, description: 'The room.' }, errors: [400, 401, 403, 404, 410, 429] },
  { method: 'post', path: '/api/rooms/{id}/guest', tag: 'rooms', summary: 'Join as a guest with a display name (sets the session cookie).', caller: 'anyone', params: room, body: guestJoinBodySchema, ok: { status: 201, description: 'The guest, a token and the room.' }, errors: [400, 403, 404, 410, 429] },
  // media
  { method: 'post', path: '/api/rooms/{id}/media', tag: 'media', summary: 'Upload a video (multipart, field `file`); resumable uploads use tus at /api/uploads.', caller: 'session', params: room, multipart: true, ok: { status: 202, description: 'The queued media.' }, errors: [401, 403, 410, 411, 413, 415] },
  { method: 'post', path: '/api/rooms/{id}/media/import', tag: 'media', summary: 'Add a video by link.', caller: 'session', params: room, body: importRequestSchema, ok: { status: 202, description: 'The importing media.' }, errors: [400, 401, 403, 413, 422, 503] },
  { method: 'get', path: '/api/media/import/options', tag: 'media', summary: 'Which links can be added on this instance.', caller: 'session', ok: { status: 200, description: 'The import options.' }, errors: [401] },
  { method: 'get', path: '/api/rooms/{id}/media', tag: 'media', summary: 'The room’s media.', caller: 'session', params: room, ok: { status: 200, description: 'The media.' }, errors: [401, 403, 404] },
  { method: 'get', path: '/api/media/{mediaId}', tag: 'media', summary: 'One media item.', caller: 'session', params: media, ok: { status: 200, description: 'The media.' }, errors: [401, 404] },
  { method: 'post', path: '/api/media/{mediaId}/retry', tag: 'media', summary: 'Retry a failed media (uploader or host).', caller: 'session', params: media, ok: { status: 200, description: 'The media, queued again.' }, errors: [401, 403, 404, 409, 410, 503] },
  { method: 'post', path: '/api/media/{mediaId}/cancel', tag: 'media', summary: 'Stop an import or a transcode.', caller: 'session', params: media, ok: { status: 200, description: 'The media, failed "Cancelled by ...".' }, errors: [401, 403, 404, 409] },
  { method: 'delete', path: '/api/media/{mediaId}', tag: 'media', summary: 'Delete a media and its files.', caller: 'session', params: media, ok: { status: 204, description: 'Deleted.' }, errors: [401, 403, 404] },
  { method: 'get', path: '/media/{mediaId}/{path}', tag: 'media', summary: 'HLS playlists and segments of a media or a live (members only).', caller: 'session', params: { mediaId: null, path: null }, ok: { status: 200, description: 'The file (ranges, ETag).', contentType: 'application/octet-stream' }, errors: [401, 403, 404] },
  // live
  { method: 'post', path: '/api/rooms/{id}/live', tag: 'live', summary: 'Start a live (host): a new stream key.', caller: 'session', params: room, body: startLiveBodySchema, ok: { status: 201, description: 'The stream key, shown once.' }, errors: [400, 401, 403, 404] },
  { method: 'post', path: '/api/rooms/{id}/live/rotate-key', tag: 'live', summary: 'A new stream key (the old one stops working).', caller: 'session', params: room, ok: { status: 201, description: 'The stream key, shown once.' }, errors: [401, 403, 404] },
  { method: 'delete', path: '/api/rooms/{id}/live', tag: 'live', summary: 'End the live and disable the key.', caller: 'session', params: room, ok: { status: 204, description: 'Ended.' }, errors: [401, 403, 404] },
  { method: 'get', path: '/api/rooms/{id}/live', tag: 'live', summary: 'The room’s live state.', caller: 'session', params: room, ok: { status: 200, description: 'The live state.' }, errors: [401, 403, 404] },
  // operations
  { method: 'get', path: '/api/health', tag: 'operations', summary: 'Database, Redis and queue counts in one call.', caller: 'anyone', ok: { status: 200, description: 'Healthy (503 when a dependency is down).' }, errors: [503] },
  { method: 'get', path: '/api/health/live', tag: 'operations', summary: 'Liveness: the process answers.', caller: 'anyone', ok: { status: 200, description: 'Alive.' } },
  { method: 'get', path: '/api/health/ready', tag: 'operations', summary: 'Readiness: PostgreSQL and Redis answer (503 names the one that does not).', caller: 'anyone', ok: { status: 200, description: 'Ready.' }, errors: [503] },
  { method: 'get', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics of this API process (bearer METRICS_TOKEN when set).', caller: 'metrics', ok: { status: 200, description: 'Prometheus text format 0.0.4.', contentType: 'text/plain' }, errors: [401] },
  { method: 'get', path: '/api/openapi.json', tag: 'operations', summary: 'This document.', caller: 'anyone', ok: { status: 200, description: 'OpenAPI 3.1.' } },
  { method: 'get', path: '/api/docs', tag: 'operations', summary: 'This document as a page.', caller: 'anyone', ok: { status: 200, description: 'HTML.', contentType: 'text/html' } },
  // admin
  { method: 'get', path: '/api/admin/queues', tag: 'admin', summary: 'Every queue with its counts, oldest wait, pause state and workers.', caller: 'admin', ok: { status: 200, description: 'The queues.', schema: adminQueueViewSchema, array: true }, errors: [401, 403] },
  { method: 'post', path: '/api/admin/queues/{queue}/pause', tag: 'admin', summary: 'Pause a queue: running jobs finish, waiting ones do not start.', caller: 'admin', params: { queue: adminQueueParamSchema }, ok: { status: 204, description: 'Paused.' }, errors: [400, 401, 403] },
  { method: 'post', path: '/api/admin/queues/{queue}/resume', tag: 'admin', summary: 'Resume a paused queue.', caller: 'admin', params: { queue: adminQueueParamSchema }, ok: { status: 204, description: 'Resumed.' }, errors: [400, 401, 403] },
  { method: 'get', path: '/api/admin/queues/{queue}/jobs', tag: 'admin', summary: 'Jobs of a queue by state (failed ones with their reasons, running ones with progress).', caller: 'admin', params: { queue: adminQueueParamSchema }, query: adminJobsQuerySchema, ok: { status: 200, description: 'The jobs.', schema: adminJobViewSchema, array: true }, errors: [400, 401, 403] },
  { method: 'post', path: '/api/admin/queues/{queue}/jobs/{id}/retry', tag: 'admin', summary: 'Retry a failed transcode or import (through its media, like the uploader’s retry).', caller: 'admin', params: { queue: adminQueueParamSchema, id: adminJobIdParamSchema }, ok: { status: 204, description: 'Queued again.' }, errors: [400, 401, 403, 404, 409] },
  { method: 'get', path: '/api/admin/workers', tag: 'admin', summary: 'The workers connected to each queue (host, process, concurrency).', caller: 'admin', ok: { status: 200, description: 'The workers.', schema: adminWorkerViewSchema, array: true }, errors: [401, 403] },
];
