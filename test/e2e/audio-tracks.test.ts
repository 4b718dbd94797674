import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, joinAsGuest, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { makeTwoAudioClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 12 in real Chromium: an MKV with two audio tracks ("English", "Commentary") plays with a picker
 * listing both; the host picks the commentary, hls.js loads that rendition (its playlist and segments are
 * requested, hls.audioTrack changes), while a guest in the same room stays on the first track. The
 * choice is the host's own, remembered across a reload.
 */
const READY_TIMEOUT = 180_000;
const NAME = 'two-audio.mkv';

/** hls.js's audio track on the page (window.__reelroom, the test hook of hls-player.tsx); null without a player. */
function audioTrackOf(page: Page) {
  return page.evaluate(() => {
    const hook = (window as unknown as { __reelroom?: { hls?: { audioTrack: number } | null } }).__reelroom;
    return hook?.hls?.audioTrack ?? null;
  });
}

/** Every audio request of the page, by rendition folder (`audio`, `audio-2`), as paths. */
function recordAudioRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/audio(-\d+)?\//.test(path)) urls.push(path);
  });
  return urls;
}

describe('audio tracks in a room', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let guest: PageWithTools;
  let roomUrl = '';
  let mkv: Buffer;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const [s, b, file] = await Promise.all([startStack(), launchBrowser(), makeTwoAudioClip({ seconds: 10, width: 640, height: 360 })]);
    stack = s;
    browser = b;
    mkv = await readFile(file);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists both tracks once the MKV is converted, the source’s default chosen', async () => {
    host = await openPage(await browser.newContext({ viewport: { width: 1280, height: 800 } }));
    const { page } = host;
    await page.goto(stack.baseUrl + '/register');
    await signUp(page, { email: `audio-${tag}@example.test`, displayName: `Ada${tag}`, password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('Two tracks');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    await page.getByLabel('Video file').setInputFiles({ name: NAME, mimeType: 'video/x-matroska', buffer: mkv });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: NAME }).waitFor({ timeout: READY_TIMEOUT });
    await page.getByTestId('media-item').filter({ hasText: NAME }).locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    const menu = page.getByLabel('Audio track', { exact: true });
    await eventually(() => menu.locator('option').allTextContents(), 60_000).toEqual(['English', 'Commentary']);
    await eventually(() => menu.inputValue(), 30_000).toBe('0');
    await eventually(() => audioTrackOf(page), 30_000).toBe(0);
  });

  it('the host picks the commentary: hls.js loads that rendition while the guest stays on English', async () => {
    guest = await openPage(await browser.newContext({ viewport: { width: 1280, height: 800 } }));
    const guestRequests = recordAudioRequests(guest.page);
    await guest.page.goto(roomUrl);
    await joinAsGuest(guest.page, { displayName: 'Gus' });
    const opened = await guest.page
      .getByTestId('player')
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!opened) await guest.page.getByTestId('media-item').filter({ hasText: NAME }).locator('button.media-row').click();
    await eventually(() => audioTrackOf(guest.page), 60_000).toBe(0);

    const hostRequests = recordAudioRequests(host.page);
    await host.page.getByLabel('Audio track', { exact: true }).selectOption({ label: 'Commentary' });
    await eventually(() => audioTrackOf(host.page), 30_000).toBe(1);
    // The second rendition's playlist, init segment and a media segment are fetched.
    await eventually(() => hostRequests.filter((p) => p.includes('/audio-2/')).map((p) => p.split('/').pop()), 60_000).toEqual(
      expect.arrayContaining(['index.m3u8', 'init.mp4', expect.stringMatching(/^seg_\d+\.m4s$/) as string]),
    );
    await screenshot(host.page, 'audio-tracks-01-host-commentary');

    // The guest is untouched: still on the first track, never fetched the second.
    expect(await audioTrackOf(guest.page)).toBe(0);
    expect(await guest.page.getByLabel('Audio track', { exact: true }).inputValue()).toBe('0');
    expect(guestRequests.some((p) => p.includes('/audio/'))).toBe(true);
    expect(guestRequests.filter((p) => p.includes('/audio-2/'))).toEqual([]);
  });

  it('remembers the host’s own choice for this media after a reload', async () => {
    const { page } = host;
    await page.reload();
    const opened = await page
      .getByTestId('player')
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!opened) await page.getByTestId('media-item').filter({ hasText: NAME }).locator('button.media-row').click();
    await eventually(() => audioTrackOf(page), 60_000).toBe(1);
    expect(await page.getByLabel('Audio track', { exact: true }).inputValue()).toBe('1');
    expect(await audioTrackOf(guest.page)).toBe(0);
  });
});
