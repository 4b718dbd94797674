import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlVideo, eventually, launchBrowser, openPage, signUp, type PageWithTools } from '../support/browser.js';
import { makeClip } from '../support/media.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The app really runs under its Content-Security-Policy (issue 9): in Chromium, sign up, create a room
 * (socket.io over WebSocket), upload, and play the HLS stream (hls.js: blob: media, its worker), while
 * every `securitypolicyviolation` event and CSP console message is recorded. None may occur.
 */
describe('the web app under its Content-Security-Policy', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: PageWithTools;
  let clip: Buffer;
  const csp: string[] = [];

  beforeAll(async () => {
    const [s, b, path] = await Promise.all([startStack(), launchBrowser(), makeClip({ seconds: 4, width: 640, height: 360, audio: true })]);
    stack = s;
    browser = b;
    clip = await readFile(path);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs up, connects, uploads and plays a video with no CSP violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      const seen: string[] = [];
      window.__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
      );
    });
    alice = await openPage(context);
    const { page, errors } = alice;
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) csp.push(m.text());
    });
    // Workers report their own violations to the console of the page.
    const response = await page.goto(stack.baseUrl + '/register');
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await signUp(page, { email: `csp-${Date.now().toString(36)}@example.test`, displayName: 'Alice', password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('CSP night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    await page.getByLabel('Video file').setInputFiles({ name: 'csp.mp4', mimeType: 'video/mp4', buffer: clip });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'csp.mp4' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('media-item').filter({ hasText: 'csp.mp4' }).locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    await page.waitForFunction(() => (window.__reelroom?.hls?.levels.length ?? 0) > 0);
    await controlVideo(page, { loop: true, play: true });
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime > 1, null, {
      timeout: 30_000,
    });
    // hls.js plays through MSE: the video's source is a blob: URL, which the policy allows.
    expect(await page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentSrc)).toMatch(/^blob:/);
    expect(await page.evaluate(() => window.__cspViolations ?? [])).toEqual([]);
    expect(csp, errors.join('\n')).toEqual([]);
  });
});
