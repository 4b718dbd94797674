import { HttpException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { declaredUploadLength, MULTIPART_OVERHEAD_BYTES } from './multipart-reservation.interceptor.js';

describe(declaredUploadLength.name, () => {
  it('takes the declared Content-Length, up to the upload limit plus multipart framing', () => {
    expect(declaredUploadLength({ 'content-length': '1000' }, 1000)).toBe(1000);
    expect(declaredUploadLength({ 'content-length': String(1000 + MULTIPART_OVERHEAD_BYTES) }, 1000)).toBe(1000 + MULTIPART_OVERHEAD_BYTES);
    const tooBig = declaredUploadLength({ 'content-length': String(1001 + MULTIPART_OVERHEAD_BYTES) }, 1000);
    expect(tooBig).toBeInstanceOf(HttpException);
    expect((tooBig as HttpException).getStatus()).toBe(413);
  });

  it('wants a Content-Length (411): chunked or nonsense lengths cannot be checked before the body', () => {
    for (const headers of [{}, { 'content-length': '-1' }, { 'content-length': '1e9' }, { 'content-length': '' }]) {
      const r = declaredUploadLength(headers, 1000);
      expect(r, JSON.stringify(headers)).toBeInstanceOf(HttpException);
      expect((r as HttpException).getStatus()).toBe(411);
    }
  });
});
