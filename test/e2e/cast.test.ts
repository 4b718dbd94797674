import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CastUrlView, MediaView, RoomView } from '@reelroom/contracts';
import { eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The Cast button (issue 11) in the room's player, and the player's chunk loaded before anyone presses
 * play. This machine has no internet, so the Google Cast SDK cannot load: the test sees the button where a
 * casting URL can be made, the casting URL requested when it is pressed, the SDK requested only then (never
 * with the page), and the sentence shown when it cannot load. Picking a device and playing on it need a
 * Chromecast and Google's CDN, and were not tried.
 */
const SDK = /^https:\/\/www\.gstatic\.com\/cv\/js\/sender\//;

describe('casting from the player', () => {
  let stack: Stack;
  let browser: Browser;
  let me: PageWithTools;
  let clip: Buffer;
  let room: RoomView;
  const sdkRequests: string[] = [];

  beforeAll(async () => {
    const [s, b, path] = await Promise.all([startStack(), launchBrowser(), makeClip({ seconds: 4, width: 640, height: 360 })]);
    stack = s;
    browser = b;
    clip = await readFile(path);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('loads the player before play is pressed, and offers Cast for a playable video only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // No internet here: the SDK request fails at once, as it would offline (and is counted).
    await context.route(SDK, (route) => {
      sdkRequests.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    me = await openPage(context);
    const { page } = me;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `cast-${Date.now().toString(36)}@example.test`, displayName: 'Caster', password: 'correct horse battery' });
    const origin = { origin: stack.baseUrl };
    room = (await (await page.request.post(`${stack.baseUrl}/api/rooms`, { data: { name: 'Cast' }, headers: origin })).json()) as RoomView;
    const res = await page.request.post(`${stack.baseUrl}/api/rooms/${room.id}/media`, {
      multipart: { file: { name: 'cast.mp4', mimeType: 'video/mp4', buffer: clip } },
      headers: origin,
    });
    expect(res.status()).toBe(202);
    const media = (await res.json()) as MediaView;
    await eventually(
      async () => ((await (await page.request.get(`${stack.baseUrl}/api/media/${media.id}`)).json()) as MediaView).status,
      120_000,
    ).toBe('ready');

    const chunks: string[] = [];
    page.on('request', (r) => {
      if (/\/assets\/hls-player-[^/]+\.js$/.test(r.url())) chunks.push(r.url());
    });
    await page.goto(`${stack.baseUrl}/r/${room.id}`);
    await page.getByTestId('media-item').filter({ hasText: 'cast.mp4' }).waitFor();
    // The room lists a video: the player's chunk (hls.js) is fetched before anyone presses play.
    await eventually(() => chunks.length).toBeGreaterThan(0);
    expect(await page.getByTestId('player').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Cast / }).count()).toBe(0);

    await page.getByTestId('media-item').filter({ hasText: 'cast.mp4' }).locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    const cast = page.getByRole('button', { name: 'Cast cast.mp4 to a TV' });
    await cast.waitFor();
    // Nothing of Google's is loaded with the page or the player.
    expect(sdkRequests).toEqual([]);

    const castCall = page.waitForResponse(
      (r) => r.url() === `${stack.baseUrl}/api/media/${media.id}/cast` && r.request().method() === 'POST',
    );
    await cast.click();
    const answer = await castCall;
    expect(answer.status()).toBe(200);
    const body = (await answer.json()) as CastUrlView;
    expect(body.url).toMatch(new RegExp(`^/media/${media.id}/t/[^/]+/master\\.m3u8$`));
    // Then the SDK, from Google's CDN, only now; offline, the person is told why nothing happens.
    await eventually(() => sdkRequests.length).toBe(1);
    await eventually(() => page.getByTestId('cast-error').textContent()).toBe(
      'Casting is not available right now: the Google Cast library could not be loaded.',
    );
    expect(await cast.isEnabled()).toBe(true); // pressing again tries again
    await screenshot(page, 'cast-01-offline-desktop', { fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await cast.scrollIntoViewIfNeeded();
    await screenshot(page, 'cast-02-offline-phone', { fullPage: false });
  });
});
