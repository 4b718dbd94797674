import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { controlVideo, eventually, launchBrowser, openPage, signUp } from '../support/browser.js';
import { makeClip } from '../support/media.js';
import { applyDocumentedCors } from '../support/s3.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 10, "Playback stays private", the signed-URL way, in Chromium: with STORAGE=s3 and
 * MEDIA_DELIVERY=signed, hls.js follows the API's 302s to presigned URLs on the bucket (the real s3rver of
 * the test setup, with the CORS rules docs/OPERATIONS.md gives) and plays, under the app's CSP, while the
 * playlists still come from the API.
 */
describe('playback from signed bucket URLs', () => {
  let stack: Stack;
  let browser: Browser;
  let clip: Buffer;

  beforeAll(async () => {
    const [s, b, path] = await Promise.all([
      startStack({ storage: 's3', env: { MEDIA_DELIVERY: 'signed' } }),
      launchBrowser(),
      makeClip({ seconds: 6, width: 640, height: 360, audio: true }),
    ]);
    stack = s;
    browser = b;
    clip = await readFile(path);
    await applyDocumentedCors(stack.bucket!.client, stack.bucket!.bucket);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('plays a video whose segments come from the bucket, with no CSP violation', async () => {
    const bucketOrigin = inject('s3Endpoint');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      const seen: string[] = [];
      window.__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const { page, errors } = await openPage(context);
    /** Every /media/ and bucket response the page got: `status url`. */
    const seen: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/media/') || r.url().startsWith(bucketOrigin)) seen.push(`${r.status()} ${r.url()}`);
    });
    const response = await page.goto(stack.baseUrl + '/register');
    expect(response?.headers()['content-security-policy']).toContain(`connect-src 'self' ${bucketOrigin}`);
    await signUp(page, {
      email: `signed-${Date.now().toString(36)}@example.test`,
      displayName: 'Alice',
      password: 'correct horse battery',
    });
    await page.getByLabel('Room name').fill('Signed night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    await page.getByLabel('Video file').setInputFiles({ name: 'signed.mp4', mimeType: 'video/mp4', buffer: clip });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'signed.mp4' }).waitFor({ timeout: 180_000 });
    await page.getByTestId('media-item').filter({ hasText: 'signed.mp4' }).locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    await page.waitForFunction(() => (window.__reelroom?.hls?.levels.length ?? 0) > 0);
    await controlVideo(page, { play: true });
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime > 2, null, {
      timeout: 60_000,
    });

    // Playlists from the API; segments and init from the bucket, each after a 302 from the API.
    const fromApi = seen.filter((l) => l.includes(`${stack.baseUrl}/media/`));
    const fromBucket = seen.filter((l) => l.split(' ')[1].startsWith(bucketOrigin));
    expect(
      // 200, or 206 when the browser asks with a Range (Chromium's media stack does for a playlist at times).
      fromApi.filter((l) => l.endsWith('.m3u8')).every((l) => /^20[06] /.test(l)),
      fromApi.join('\n'),
    ).toBe(true);
    expect(
      fromApi.some((l) => /^302 .*\.m4s$/.test(l)),
      fromApi.join('\n'),
    ).toBe(true);
    expect(
      fromApi.filter((l) => /\.(m4s|mp4)$/.test(l)).every((l) => l.startsWith('302 ')),
      fromApi.join('\n'),
    ).toBe(true);
    expect(
      fromBucket.some((l) => /^20[06] .*\.m4s\?.*X-Amz-Signature=/.test(l)),
      seen.join('\n'),
    ).toBe(true);
    expect(
      fromBucket.some((l) => /^20[06] .*\/init\.mp4\?/.test(l)),
      seen.join('\n'),
    ).toBe(true);
    expect(await page.evaluate(() => window.__cspViolations ?? [])).toEqual([]);
    expect(errors.filter((e) => /CORS|Content Security Policy/i.test(e))).toEqual([]);
  });
});
