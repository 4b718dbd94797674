import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlVideo,
  eventually,
  launchBrowser,
  openPage,
  openQualityMenu,
  screenshot,
  signUp,
  type PageWithTools,
} from '../support/browser.js';
import { makeClip } from '../support/media.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * A person's path through Reelroom in real Chromium against the real stack: sign up, create a room,
 * upload, watch the transcode finish in the UI, play the HLS stream, switch quality, and see a second
 * viewer's page update live over the socket.
 */

const READY_TIMEOUT = 120_000;
/**
 * Records every data-status a media item shows, in order, from inside the page: proves the status
 * travelled through the UI (socket events re-rendering the list), not just that it ended up right.
 */
async function recordStatuses(page: Page) {
  await page.evaluate(() => {
    const statusLog: Record<string, string[]> = {};
    window.__statusLog = statusLog;
    const record = () => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="media-item"]')) {
        const id = el.dataset.mediaId ?? '?';
        const log = (statusLog[id] ??= []);
        const status = el.dataset.status ?? '?';
        if (log[log.length - 1] !== status) log.push(status);
      }
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
    record();
  });
}

const statusLog = (page: Page) => page.evaluate(() => window.__statusLog ?? {});

const item = (page: Page, name: string) => page.getByTestId('media-item').filter({ hasText: name });

describe('watching a video in a room', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: PageWithTools;
  let bob: PageWithTools;
  let roomUrl = '';
  let firstClip: Buffer;
  let secondClip: Buffer;
  const password = 'correct horse battery';
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const [s, b, first, second] = await Promise.all([
      startStack(),
      launchBrowser(),
      makeClip({ seconds: 6, width: 1280, height: 720, audio: true }),
      makeClip({ seconds: 4, width: 1280, height: 720, fps: 25, audio: true }),
    ]);
    stack = s;
    browser = b;
    [firstClip, secondClip] = await Promise.all([readFile(first), readFile(second)]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs up through the form and lands on the home page signed in', async () => {
    alice = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page } = alice;
    await page.goto(stack.baseUrl + '/');
    await page.getByRole('main').getByRole('link', { name: 'Create account' }).click();
    await page.waitForURL('**/register');
    await screenshot(page, '01-register');
    await signUp(page, { email: `alice-${tag}@example.test`, displayName: 'Alice', password });
    expect(new URL(page.url()).pathname).toBe('/');
    await eventually(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await screenshot(page, '02-home');
  });

  it('creates a room through the form and opens it', async () => {
    const { page } = alice;
    await page.getByLabel('Room name').fill('Movie night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Movie night');
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
  });

  it('uploads a clip and shows it going through transcoding to ready without a reload', async () => {
    const { page, errors } = alice;
    await recordStatuses(page);
    await page.getByLabel('Video file').setInputFiles({ name: 'first-clip.mp4', mimeType: 'video/mp4', buffer: firstClip });
    await page.getByRole('button', { name: 'Upload' }).click();
    await item(page, 'first-clip.mp4').waitFor();
    await screenshot(page, '03-uploaded');
    await page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'first-clip.mp4' })
      .waitFor({ timeout: READY_TIMEOUT });
    await screenshot(page, '04-ready');

    const log = Object.values(await statusLog(page));
    expect(log, errors.join('\n')).toHaveLength(1);
    // The item appears as soon as the upload is accepted (queued) and the socket moves it on; a log of
    // only "ready" would mean the UI never showed the transcode happening.
    expect(log[0].length).toBeGreaterThan(1);
    expect(['queued', 'processing']).toContain(log[0][0]);
    expect(log[0].at(-1)).toBe('ready');
    expect(log[0].every((s) => ['queued', 'processing', 'ready'].includes(s))).toBe(true);
  });

  it('plays the ready item as adaptive HLS with three quality levels', async () => {
    const { page, errors } = alice;
    await item(page, 'first-clip.mp4').locator('button.media-row').click();
    const video = page.getByTestId('player');
    await video.waitFor();
    await page.waitForFunction(() => (window.__reelroom?.hls?.levels.length ?? 0) > 0);
    expect(await page.evaluate(() => window.__reelroom?.hls?.levels.length), errors.join('\n')).toBe(3);

    // A click on Chromium's native play button is flaky headless; play() is what it calls. The clip is
    // 6 s long, so loop it: "keeps playing after the quality switch" must not depend on where it ends.
    await controlVideo(page, { loop: true, play: true });
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime > 1, null, {
      timeout: 30_000,
    });
    await screenshot(page, '05-playing');
  });

  it('switches to the lowest quality from the menu and keeps playing', async () => {
    const { page, errors } = alice;
    const lowest = await page.evaluate(() => {
      const levels = window.__reelroom!.hls!.levels;
      return levels.reduce((best, l, i) => (l.height < levels[best].height ? i : best), 0);
    });
    const lowestHeight = await page.evaluate((i) => window.__reelroom!.hls!.levels[i].height, lowest);
    // The player's settings menu: Quality, Auto plus one entry per level.
    const options = await openQualityMenu(page);
    // The submenu renders its entries after it opens.
    await eventually(() => options.count()).toBe(4);
    await options.filter({ hasText: new RegExp(`^${lowestHeight}p`) }).click();

    await page.waitForFunction((i) => window.__reelroom?.hls?.currentLevel === i, lowest, { timeout: 30_000 });
    await eventually(() => page.getByTestId('player-box').getAttribute('data-playing-level')).toBe(String(lowest));
    expect(await page.evaluate(() => window.__reelroom!.hls!.autoLevelEnabled)).toBe(false);

    const t0 = await page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime);
    await page.waitForFunction(
      (start) => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="player"]')!;
        // Moved on by a second, or wrapped around the loop.
        return !v.paused && (v.currentTime > start + 1 || v.currentTime < start);
      },
      t0,
      { timeout: 30_000 },
    );
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    await screenshot(page, '06-lowest-quality');
  });

  it("lets a second person open the room link, sign up, and see the room's ready video", async () => {
    bob = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page } = bob;
    await page.goto(roomUrl);
    await page.getByRole('heading', { name: 'Join this room' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Create account' }).click();
    await page.waitForURL('**/register?next=*');
    await signUp(page, { email: `bob-${tag}@example.test`, displayName: 'Bob', password });
    await page.waitForURL(roomUrl);
    await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'first-clip.mp4' }).waitFor();
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
    await screenshot(page, '07-second-viewer');
  });

  it('shows a new upload to the second person live, through to ready, without a reload', async () => {
    await bob.page.evaluate(() => {
      window.__sameDocument = true;
    });
    await recordStatuses(bob.page);

    await alice.page.getByLabel('Video file').setInputFiles({ name: 'second-clip.mp4', mimeType: 'video/mp4', buffer: secondClip });
    await alice.page.getByRole('button', { name: 'Upload' }).click();

    await item(bob.page, 'second-clip.mp4').waitFor();
    await screenshot(bob.page, '08-second-viewer-sees-upload');
    await bob.page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'second-clip.mp4' })
      .waitFor({ timeout: READY_TIMEOUT });
    await screenshot(bob.page, '09-second-viewer-ready');

    expect(await bob.page.evaluate(() => window.__sameDocument)).toBe(true);
    const secondId = await item(bob.page, 'second-clip.mp4').getAttribute('data-media-id');
    const log = (await statusLog(bob.page))[secondId!];
    expect(log, bob.errors.join('\n')).toBeDefined();
    expect(log.length).toBeGreaterThan(1);
    expect(log.at(-1)).toBe('ready');
    expect(await bob.page.getByTestId('media-item').count()).toBe(2);
  });
});
