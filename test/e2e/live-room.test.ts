import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlVideo,
  eventually,
  joinAsGuest,
  launchBrowser,
  openPage,
  screenshot,
  signUp,
  videoState,
  type PageWithTools,
} from '../support/browser.js';
import { publish, streamKeyFromPanel, type Publisher } from '../support/live.js';
import { makeClip } from '../support/media.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Watching a live together (issue 8), as people do it: the host goes live into an idle room and the room
 * goes to the live by itself; the host and a guest play it the same distance behind the edge (the room's
 * live position); the host switches the room to a library video and back with "Watch the live together";
 * the guest pauses their own live and comes back with "Jump to live"; the host stops and both get the
 * recording in the room without reloading.
 */

/** The watch party's drift goal between two players (bench/sync.mjs: p95 spread under 150 ms). */
const DRIFT_GOAL_MS = 150;

/** What a page plays and where the room is, read in the page at one instant (the server runs on this machine: one clock). */
function sample(page: Page) {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="player"]');
    const s = window.__reelroom?.sync?.room ?? null;
    const now = Date.now();
    if (!v || !s) return null;
    const expected = s.paused || now <= s.anchorServerTime ? s.position : s.position + ((now - s.anchorServerTime) / 1000) * s.rate;
    return { now, at: v.currentTime, expected, paused: v.paused, liveId: s.liveId ?? null, mediaId: s.mediaId, roomPaused: s.paused };
  });
}

/** How far (ms) a page's playhead is from the room's live position. */
async function offRoomMs(page: Page): Promise<number> {
  const s = await sample(page);
  return s && !s.paused ? Math.abs(s.at - s.expected) * 1000 : Number.POSITIVE_INFINITY;
}

/** How far apart (ms) two pages play, both brought to the same instant. */
async function apartMs(a: Page, b: Page): Promise<number> {
  const [x, y] = [await sample(a), await sample(b)];
  if (!x || !y || x.paused || y.paused) return Number.POSITIVE_INFINITY;
  return Math.abs(x.at + (y.now - x.now) / 1000 - y.at) * 1000;
}

describe('watching a live together', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let guest: PageWithTools;
  let publisher: Publisher | undefined;
  let clip: Buffer;
  let liveId = '';
  const tag = Date.now().toString(36);
  const dump = () => [host, guest].flatMap((p, i) => (p ? p.errors.map((e) => `[${i}] ${e}`) : [])).join('\n');

  /** Both pages on the room's live, each within the drift goal of the room's position and of each other. */
  async function bothFollowTheLive() {
    for (const { page } of [host, guest]) {
      await page.getByTestId('live-badge').waitFor({ timeout: 60_000 });
      await eventually(async () => (await sample(page))?.liveId, 30_000).toBe(liveId);
      await eventually(() => offRoomMs(page), 45_000).toBeLessThan(DRIFT_GOAL_MS);
    }
    await eventually(() => apartMs(host.page, guest.page), 30_000).toBeLessThan(DRIFT_GOAL_MS);
  }

  beforeAll(async () => {
    const [s, b, file] = await Promise.all([startStack(), launchBrowser(), makeClip({ seconds: 3, width: 320, height: 180, audio: true })]);
    stack = s;
    browser = b;
    clip = await readFile(file);
  });

  afterAll(async () => {
    publisher?.process.kill('SIGKILL');
    await browser?.close();
    await stack?.stop();
  });

  it('the host goes live into an idle room: the room goes to the live and both play it at the room position', async () => {
    host = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    await host.page.goto(`${stack.baseUrl}/register`);
    await signUp(host.page, { email: `host-${tag}@example.test`, displayName: 'Host', password: 'correct horse battery' });
    await host.page.getByLabel('Room name').fill('Live together');
    await host.page.getByRole('button', { name: 'Create room' }).click();
    await host.page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    await eventually(() => host.page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
    // A library video for later; uploading it does not start it, so the room stays idle.
    await host.page
      .getByLabel('Video file')
      .setInputFiles({ name: 'intermission.mp4', mimeType: 'video/mp4', buffer: clip }, { timeout: 60_000 });
    await host.page.getByRole('button', { name: 'Upload' }).click();
    await host.page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'intermission.mp4' })
      .waitFor({ timeout: 120_000 });

    guest = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    await guest.page.goto(host.page.url());
    await joinAsGuest(guest.page, { displayName: 'Guest' });
    await eventually(() => guest.page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    const { url } = await streamKeyFromPanel(host.page);
    publisher = publish(url, { seconds: 600, size: '640x360' });

    // Nobody switched: the idle room went to the live by itself.
    await eventually(async () => (await sample(guest.page))?.liveId ?? '', 60_000).toMatch(/^[0-9a-f-]{36}$/);
    liveId = (await sample(guest.page))!.liveId!;
    await bothFollowTheLive();
    await screenshot(guest.page, 'live-room-01-together');
  });

  it('the host switches the room to a library video and back to the live', async () => {
    await host.page.getByTestId('media-item').filter({ hasText: 'intermission.mp4' }).locator('button.media-row').click();
    for (const { page } of [host, guest]) {
      await eventually(async () => (await sample(page))?.mediaId ?? null, 20_000).not.toBeNull();
      await eventually(() => page.getByTestId('live-badge').count()).toBe(0);
    }
    // Only a person with control is offered the switch; in this unlocked room that is everyone.
    await host.page.getByRole('button', { name: 'Watch the live together' }).click();
    await bothFollowTheLive();
  });

  it('a pause is the guest\'s own; "Jump to live" brings them back to the room\'s live position', async () => {
    const { page } = guest;
    await controlVideo(page, { pause: true });
    await page.getByTestId('live-held').waitFor();
    // The room plays on for the host, and the guest's own play goes on from where they paused: behind.
    await eventually(async () => {
      const s = await sample(page);
      return s ? s.expected - s.at : 0;
    }, 20_000).toBeGreaterThan(3);
    await controlVideo(page, { play: true });
    await eventually(async () => (await sample(page))?.paused).toBe(false);
    const behind = await sample(page);
    expect(behind!.expected - behind!.at, dump()).toBeGreaterThan(2.5);
    await eventually(() => offRoomMs(host.page), 30_000).toBeLessThan(DRIFT_GOAL_MS);

    await page.getByRole('button', { name: 'Jump to live' }).click();
    await eventually(() => page.getByTestId('live-held').count()).toBe(0);
    await eventually(() => offRoomMs(page), 30_000).toBeLessThan(DRIFT_GOAL_MS);
    await eventually(() => apartMs(host.page, page), 30_000).toBeLessThan(DRIFT_GOAL_MS);
    await screenshot(page, 'live-room-02-jumped-back');
  });

  it('when the host stops, the room moves to the recording for both, without a reload', async () => {
    await publisher!.stop();
    for (const { page } of [host, guest]) {
      // The recording is the media item with the live's id: the room plays it, paused at its start.
      await eventually(async () => {
        const s = await sample(page);
        return s && { mediaId: s.mediaId, roomPaused: s.roomPaused, liveId: s.liveId };
      }, 90_000).toEqual({ mediaId: liveId, roomPaused: true, liveId: null });
      await page.getByTestId('player-box').waitFor();
      await eventually(async () => (await videoState(page))?.readyState ?? 0, 30_000).toBeGreaterThanOrEqual(2);
      expect((await sample(page))?.at).toBeLessThan(0.5);
    }
    // Anyone with control presses play: both watch the recording together from the start.
    await controlVideo(host.page, { play: true });
    for (const { page } of [host, guest]) await eventually(async () => (await sample(page))?.at ?? 0, 30_000).toBeGreaterThan(1);
    await eventually(() => apartMs(host.page, guest.page), 30_000).toBeLessThan(DRIFT_GOAL_MS);
    await screenshot(guest.page, 'live-room-03-replay');
  });
});
