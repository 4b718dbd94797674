import { HttpException } from '@nestjs/common';

/** Every answer of the uploads endpoint that is not tus's own success: `{statusCode, message}` like the REST API. */
export const jsonError = (statusCode: number, message: string): string => JSON.stringify({ statusCode, message });

/** The sentence of an HttpException (Nest keeps it in the response object's `message`). */
export function httpMessage(err: HttpException): string {
  const r = err.getResponse();
  return typeof r === 'object' && r && 'message' in r ? String(r.message) : err.message;
}

export interface TusErrorResponse {
  status_code: number;
  body: string;
}

/**
 * Pure: what an error in tus's handling becomes. Our exceptions (from the hooks: 400, 403, 404, 413, 415,
 * 503) keep their status and sentence; tus's own errors get clearer sentences where it helps; anything else
 * is a generic 500 (the caller logs it).
 */
export function tusErrorResponse(err: Error | { status_code: number; body: string }, maxUploadBytes: number): TusErrorResponse {
  if (err instanceof HttpException) {
    return { status_code: err.getStatus(), body: jsonError(err.getStatus(), httpMessage(err)) };
  }
  if ('status_code' in err && typeof err.status_code === 'number') {
    const status = err.status_code;
    // tus's two 413s: a PATCH past the upload's own declared length, or a length past the server's limit.
    if (status === 413 && String(err.body).includes("upload's size exceeded")) {
      return {
        status_code: 413,
        body: jsonError(413, "This PATCH goes past the upload's declared length (Upload-Length): send only the bytes that remain."),
      };
    }
    const nice: Record<number, string> = {
      409: 'Upload-Offset conflict: ask for the current offset (HEAD) and continue from there.',
      410: 'This upload expired. Start it again.',
      413: `This file is larger than the upload limit (${(maxUploadBytes / 1024 ** 3).toFixed(1)} GB).`,
    };
    return { status_code: status, body: jsonError(status, nice[status] ?? String(err.body).trim()) };
  }
  return { status_code: 500, body: jsonError(500, 'The server had a problem receiving the upload. Please try again.') };
}
