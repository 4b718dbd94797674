import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, signUp, videoState, type PageWithTools } from '../support/browser.js';
import { publish, type Publisher } from '../support/live.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Low-latency mode in a real browser: the host ticks "Low latency" in Go live, publishes, and the room's
 * player (hls.js) loads LL-HLS parts and sits at the playlist's PART-HOLD-BACK. The same run then plays a
 * standard live, and prints how far behind live hls.js reports each (a ratio: the box is shared, absolute
 * figures mean little).
 */
describe('a low-latency live in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let publisher: Publisher | undefined;
  let roomUrl = '';
  const latency: Record<'low' | 'standard', number> = { low: NaN, standard: NaN };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    publisher?.process.kill('SIGKILL');
    await browser?.close();
    await stack?.stop();
  });

  /** Median of hls.latency over a few seconds of playback, once the picture moves. */
  async function measure(page: Page): Promise<number> {
    await page.getByTestId('live-badge').waitFor({ timeout: 60_000 });
    await eventually(async () => (await videoState(page))?.currentTime ?? 0, 30_000).toBeGreaterThan(1);
    const samples: number[] = [];
    for (let i = 0; i < 24; i++) {
      const l = await page.evaluate(() => window.__reelroom?.hls?.latency ?? NaN);
      if (Number.isFinite(l) && l > 0) samples.push(l);
      await page.waitForTimeout(250);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)];
  }

  it('plays LL-HLS parts at PART-HOLD-BACK when the host chose low latency', async () => {
    host = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page } = host;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `ll-${Date.now().toString(36)}@example.test`, displayName: 'Host', password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('Low latency night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByLabel(/Low latency/).check();
    await page.getByRole('button', { name: 'Get a stream key' }).click();
    await eventually(() => page.getByTestId('stream-key').textContent()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    publisher = publish(`${await page.getByTestId('rtmp-url').textContent()}/${await page.getByTestId('stream-key').textContent()}`);

    latency.low = await measure(page);
    const ll = await page.evaluate(() => {
      const hls = window.__reelroom?.hls;
      const details = hls?.latestLevelDetails;
      return { parts: details?.partList?.length ?? 0, partHoldBack: details?.partHoldBack ?? 0, target: hls?.targetLatency ?? 0 };
    });
    expect(ll.parts).toBeGreaterThan(0);
    expect(ll.partHoldBack).toBeGreaterThan(0);
    // hls.js aims at PART-HOLD-BACK (plus its stall allowance after a stall on this loaded box).
    expect(ll.target).toBeGreaterThanOrEqual(ll.partHoldBack);
    await publisher.stop();
    await eventually(() => page.getByTestId('live-notice').textContent(), 10_000).toMatch(/^Live ended/);
  });

  it('reports how far behind live each mode plays, in the same run', async () => {
    const { page } = host;
    const roomId = new URL(roomUrl).pathname.split('/').pop()!;
    const key = await page.evaluate(async (id) => {
      const res = await fetch(`/api/rooms/${id}/live`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ mode: 'standard' }),
      });
      return (await res.json()) as { rtmpUrl: string; streamKey: string };
    }, roomId);
    publisher = publish(`${key.rtmpUrl}/${key.streamKey}`);
    latency.standard = await measure(page);
    const parts = await page.evaluate(() => window.__reelroom?.hls?.latestLevelDetails?.partList?.length ?? 0);
    expect(parts).toBe(0);
    await publisher.stop();
    console.warn(
      `[live latency] hls.latency median: low ${latency.low.toFixed(2)} s, standard ${latency.standard.toFixed(2)} s, ` +
        `low/standard ${(latency.low / latency.standard).toFixed(2)}`,
    );
    expect(Number.isFinite(latency.low) && Number.isFinite(latency.standard)).toBe(true);
  });
});
