import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHttpServer } from '../../packages/fetch/src/test-support/test-http-server.js';
import { controlVideo, eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Add a video by link, as a person does it: paste the link of a file on a (local, test-started) web
 * server into "Add by link", watch the fetch progress like an upload's, then play the result. A link to
 * a private address is refused with its sentence.
 */
const item = (page: Page, name: string) => page.getByTestId('media-item').filter({ hasText: name });

describe('adding a video by link', () => {
  let stack: Stack;
  let browser: Browser;
  let server: TestHttpServer;
  let owner: PageWithTools;
  let clip: Buffer;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const [b, path] = await Promise.all([launchBrowser(), makeClip({ seconds: 4, width: 640, height: 360, fps: 24, name: 'by-link.mp4' })]);
    browser = b;
    clip = await readFile(path);
    server = await TestHttpServer.start('127.0.0.1', {
      // Sent in slices over about three seconds, so the page can show the fetch going on.
      '/films/by-link.mp4': (_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(clip.length) });
        const slice = Math.ceil(clip.length / 20);
        let sent = 0;
        const t = setInterval(() => {
          if (res.destroyed) return clearInterval(t);
          res.write(clip.subarray(sent, sent + slice));
          sent += slice;
          if (sent >= clip.length) {
            clearInterval(t);
            res.end();
          }
        }, 150);
      },
    });
    stack = await startStack({ env: { IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1', IMPORT_ALLOWED_PORTS: `80,443,${server.port}` } });
    owner = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await server?.close();
  });

  it('refuses a link to a private address with the reason', async () => {
    const { page } = owner;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `lina-${tag}@example.test`, displayName: 'Lina', password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('Links');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
    // The form says what kinds of links work.
    await page.getByText(/A direct http\(s\) link to a media file/).waitFor();

    await page.getByLabel('Add by link').fill(`http://192.168.1.10:${server.port}/films/by-link.mp4`);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await eventually(() => page.getByRole('alert').filter({ hasText: 'private network' }).textContent()).toBe(
      'That address is on a private network.',
    );
    expect(await page.getByTestId('media-item').count()).toBe(0);
    await screenshot(page, 'import-01-refused');
  });

  it('fetches a pasted link with progress, then it becomes playable', async () => {
    const { page, errors } = owner;
    await page.getByLabel('Add by link').fill(server.url('/films/by-link.mp4'));
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await item(page, 'by-link.mp4').waitFor();
    await eventually(() => item(page, 'by-link.mp4').getByTestId('media-import-text').textContent(), 15_000).toMatch(
      /^Fetching \d+% \(\d+ KB of \d+ KB\)$/,
    );
    await screenshot(page, 'import-02-fetching');
    await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'by-link.mp4' }).waitFor({ timeout: 90_000 });

    await item(page, 'by-link.mp4').locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    await controlVideo(page, { loop: true, play: true });
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime > 1, null, {
      timeout: 30_000,
    });
    // The console shows the 401 of the signed-out start page and the 422 of the refused link; nothing else.
    expect(errors.filter((e) => !/status of (401 \(Unauthorized\)|422 \(Unprocessable Entity\))/.test(e))).toEqual([]);
    await screenshot(page, 'import-03-playing');
  });
});
