import { describe, expect, it } from 'vitest';
import { onPublicBase, signingWindow } from './signing-window.js';

describe('signingWindow', () => {
  it('dates every URL of a window at its start, so URLs repeat within it and change in the next', () => {
    const t0 = Date.UTC(2026, 11, 6, 9, 0, 0);
    expect(signingWindow(t0, 600)).toEqual({ signingDate: new Date(t0), expiresInSec: 600 });
    expect(signingWindow(t0 + 299_999, 600).signingDate).toEqual(new Date(t0));
    expect(signingWindow(t0 + 300_000, 600).signingDate).toEqual(new Date(t0 + 300_000));
  });

  it('leaves every URL at least half its lifetime to run when it is handed out', () => {
    const ttlSec = 601;
    for (const now of [0, 1, 299_999, 300_000, 599_999, 1_234_567_891]) {
      const { signingDate, expiresInSec } = signingWindow(now, ttlSec);
      const left = signingDate.getTime() + expiresInSec * 1000 - now;
      expect(left).toBeGreaterThan((ttlSec / 2) * 1000);
      expect(left).toBeLessThanOrEqual(ttlSec * 1000);
    }
  });
});

describe('onPublicBase', () => {
  const signed = 'http://10.0.0.5:9000/media/abc/hls/720p/seg_1.m4s?X-Amz-Date=20261206T090000Z&X-Amz-Signature=ff';

  it('keeps the signed URL when there is no public base', () => {
    expect(onPublicBase(signed, undefined)).toBe(signed);
  });

  it("puts the signed path and query, unchanged, on the base's origin and path prefix", () => {
    expect(onPublicBase(signed, 'https://cdn.example')).toBe(
      'https://cdn.example/media/abc/hls/720p/seg_1.m4s?X-Amz-Date=20261206T090000Z&X-Amz-Signature=ff',
    );
    expect(onPublicBase(signed, 'https://cdn.example:8443/s3/')).toBe(
      'https://cdn.example:8443/s3/media/abc/hls/720p/seg_1.m4s?X-Amz-Date=20261206T090000Z&X-Amz-Signature=ff',
    );
  });
});
