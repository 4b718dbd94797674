import type { UploadRecord } from './uploads.repository.js';

export const TUS_VERSION = '1.0.0';
/** The response header naming the Media row an upload became (on the completing PATCH, and HEAD after). */
export const MEDIA_ID_HEADER = 'Reelroom-Media-Id';
const OCTETS = 'application/offset+octet-stream';

/** An answer the uploads endpoint gives itself, without tus: a status, a sentence, extra headers. */
export interface TusAnswer {
  status: number;
  message?: string;
  headers?: Record<string, string>;
}

type Headers = Record<string, string | string[] | undefined>;
const one = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Pure: the method a request stands for. tus clients behind proxies that drop PATCH send POST with
 * `X-HTTP-Method-Override` (tus-js-client's overridePatchMethod); only the upload methods may be named.
 * Returns null for an override naming anything else.
 */
export function effectiveMethod(method: string, headers: Headers): string | null {
  const override = one(headers, 'x-http-method-override');
  if (method !== 'POST' || override === undefined) return method;
  const named = override.trim().toUpperCase();
  return ['PATCH', 'HEAD', 'DELETE'].includes(named) ? named : null;
}

/**
 * Pure: the tus protocol's own refusals, before anyone is authenticated or anything is touched.
 * - A Tus-Resumable we do not speak: 412 with Tus-Version (tus 1.0 "Tus-Resumable").
 * - A PATCH whose body is not `application/offset+octet-stream`: 415.
 * - A POST with Upload-Defer-Length (creation-defer-length, not offered): 400.
 * - A POST with a body (creation-with-upload): not supported, so not advertised, and refused (400) before
 *   any row is created; clients create, then PATCH.
 */
export function protocolRefusal(method: string, headers: Headers): TusAnswer | null {
  if (method === 'OPTIONS') return null;
  if (one(headers, 'tus-resumable') !== TUS_VERSION) {
    return {
      status: 412,
      message: `This server speaks tus ${TUS_VERSION}: send Tus-Resumable: ${TUS_VERSION}.`,
      headers: { 'Tus-Version': TUS_VERSION },
    };
  }
  const contentType = one(headers, 'content-type')?.split(';')[0].trim().toLowerCase();
  if (method === 'PATCH' && contentType !== OCTETS) {
    return { status: 415, message: `Send the upload's bytes with Content-Type: ${OCTETS}.` };
  }
  if (method === 'POST' && one(headers, 'upload-defer-length') !== undefined) {
    // creation-defer-length is not offered: the quota reservation needs the size up front.
    return { status: 400, message: 'Send Upload-Length: uploads of unknown length are not supported.' };
  }
  const length = Number(one(headers, 'content-length') ?? '0');
  const hasBody = contentType === OCTETS || length > 0 || one(headers, 'transfer-encoding') !== undefined;
  if (method === 'POST' && hasBody) {
    return {
      status: 400,
      message: 'Uploading data while creating is not supported: create the upload (POST, no body), then send the bytes with PATCH.',
    };
  }
  return null;
}

/**
 * Pure: how a finished upload (its row claimed for a media) answers until it expires, so a client resuming
 * it learns it is done instead of starting again: HEAD gives the full offset and the media id; a PATCH at
 * the end is a no-op success; any other PATCH is an offset conflict; DELETE is refused (delete the video).
 */
export function finishedUploadAnswer(method: string, headers: Headers, upload: UploadRecord): TusAnswer {
  const size = String(upload.sizeBytes);
  const done: Record<string, string> = { 'Upload-Offset': size, 'Upload-Length': size };
  if (upload.finishedAt && upload.mediaId) done[MEDIA_ID_HEADER] = upload.mediaId;
  if (method === 'HEAD') return { status: 200, headers: done };
  if (method === 'PATCH') {
    return one(headers, 'upload-offset') === size
      ? { status: 204, headers: done }
      : { status: 409, message: 'This upload is already complete.', headers: done };
  }
  return { status: 400, message: 'This upload is complete: delete the video instead.' };
}
