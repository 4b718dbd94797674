import { NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '@reelroom/contracts';
import { jsonError, tusErrorResponse } from './upload-errors.js';

const GB = 1024 ** 3;

describe('tusErrorResponse', () => {
  it('keeps the status and sentence of our own exceptions, from the hooks', () => {
    expect(
      tusErrorResponse(new UnsupportedMediaTypeException('This file is not a video we can read (unrecognised format).'), 4 * GB),
    ).toEqual({
      status_code: 415,
      body: jsonError(415, 'This file is not a video we can read (unrecognised format).'),
    });
    expect(tusErrorResponse(new PayloadTooLargeException('This upload would exceed your storage quota.'), 4 * GB).status_code).toBe(413);
    expect(JSON.parse(tusErrorResponse(new NotFoundException('This upload does not exist.'), GB).body)).toEqual({
      statusCode: 404,
      message: 'This upload does not exist.',
    });
  });

  it("gives tus's own errors clearer sentences where it helps, and passes the others through", () => {
    const message = (status_code: number, body = 'tus says no\n') =>
      JSON.parse(tusErrorResponse({ status_code, body }, 4 * GB).body) as { statusCode: number; message: string };
    expect(message(409).message).toMatch(/^Upload-Offset conflict: ask for the current offset \(HEAD\)/);
    expect(message(410).message).toBe('This upload expired. Start it again.');
    expect(message(413).message).toBe('This file is larger than the upload limit (4.0 GB).');
    expect(message(400)).toEqual({ statusCode: 400, message: 'tus says no' });
  });

  it('answers anything else with a generic 500, never its message', () => {
    const r = tusErrorResponse(new Error('ENOSPC: /var/lib/reelroom/.tus/abc'), GB);
    expect(r.status_code).toBe(500);
    expect(r.body).not.toContain('ENOSPC');
    expect((JSON.parse(r.body) as ApiError).message).toBe('The server had a problem receiving the upload. Please try again.');
  });
});
