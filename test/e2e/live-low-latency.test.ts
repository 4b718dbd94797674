import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, screenshot, videoState, type PageWithTools } from '../support/browser.js';
import { hostGetsStreamKey, publish, viewerOpensRoom, type Publisher } from '../support/live.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/** Frames the page's video has decoded so far (HTMLVideoElement.getVideoPlaybackQuality). */
const decodedFrames = (viewer: PageWithTools) =>
  viewer.page.evaluate(
    () => document.querySelector<HTMLVideoElement>('[data-testid="player"]')?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
  );

/**
 * A low-latency (LL-HLS) live watched in the room page: the host ticks "Low latency" in Go live, a viewer
 * gets hls.js in low-latency mode loading parts, and the picture moves (time advances, frames decode) with
 * the LIVE badge and how far behind live it is. The publisher is small (640x360: one rung) so a loaded
 * 2-core box keeps the live in real time; the ladder itself is live-watch.test.ts's.
 */
describe('watching a low-latency live in a room', () => {
  let stack: Stack;
  let browser: Browser;
  let publisher: Publisher | undefined;
  const password = 'correct horse battery';
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });

  afterAll(async () => {
    publisher?.process.kill('SIGKILL');
    await browser?.close();
    await stack?.stop();
  });

  it('plays: the picture moves, frames decode, the LIVE badge and the latency show', async () => {
    const host = await openPage(await browser.newContext());
    const key = await hostGetsStreamKey(
      host.page,
      stack.baseUrl,
      { email: `host-${tag}@example.test`, displayName: 'Host', password },
      { mode: 'low' },
    );
    const viewer = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page, errors } = viewer;
    await viewerOpensRoom(page, key.roomUrl, { email: `viewer-${tag}@example.test`, displayName: 'Viewer', password });
    publisher = publish(`${key.rtmpUrl}/${key.streamKey}`, { size: '640x360' });

    await page.getByTestId('live-badge').waitFor({ timeout: 60_000 });
    // hls.js plays it through Media Source (a blob: source), in low-latency mode, loading parts. When
    // hls.js refused its config, Chromium's own HLS got the playlist instead: readyState 4, stuck at 0.
    await eventually(() => page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')?.currentSrc)).toMatch(
      /^blob:/,
    );
    expect(await page.evaluate(() => window.__reelroom?.hls?.config.lowLatencyMode)).toBe(true);
    await eventually(
      () => page.evaluate(() => window.__reelroom?.hls?.levels.some((l) => (l.details?.partList?.length ?? 0) > 0)),
      30_000,
    ).toBe(true);

    await eventually(async () => (await videoState(page))?.currentTime ?? 0, 30_000).toBeGreaterThan(1);
    const first = (await videoState(page))!.currentTime;
    const frames = await decodedFrames(viewer);
    await eventually(async () => (await videoState(page))?.currentTime ?? 0, 15_000).toBeGreaterThan(first + 1);
    await eventually(() => decodedFrames(viewer), 15_000).toBeGreaterThan(frames + 10);
    expect((await videoState(page))?.paused, errors.join('\n')).toBe(false);
    await eventually(() => page.getByTestId('live-latency').textContent(), 20_000).toMatch(/^\d+\.\d s behind live$/);
    console.warn(`[live e2e] low latency viewer: ${await page.getByTestId('live-latency').textContent()}`);
    await screenshot(page, 'live-low-01-viewer');
  });
});
