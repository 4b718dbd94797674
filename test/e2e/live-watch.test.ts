import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, screenshot, signUp, videoState, type PageWithTools } from '../support/browser.js';
import { publish, streamKeyFromPanel, type Publisher } from '../support/live.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Going live as a person does: the host opens "Go live", copies the server and key into "OBS" (an ffmpeg
 * publisher), a viewer in the room sees the LIVE badge and the picture moving, then the host stops and
 * the viewer reads "Live ended" and finds the recording in the videos list.
 */
describe('watching a live in a room', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let viewer: PageWithTools;
  let publisher: Publisher | undefined;
  let roomUrl = '';
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

  it('the host gets the OBS server and a stream key from the Go live panel', async () => {
    host = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page } = host;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `host-${tag}@example.test`, displayName: 'Host', password });
    await page.getByLabel('Room name').fill('Live night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    const { server } = await streamKeyFromPanel(page);
    expect(server).toBe(`rtmp://127.0.0.1:${stack.rtmpPort}/live`);
    await screenshot(page, 'live-01-go-live-panel');
  });

  it('a viewer sees the LIVE badge, how far behind live it is, and the picture moving', async () => {
    viewer = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page, errors } = viewer;
    await page.goto(`${stack.baseUrl}/register?next=${encodeURIComponent(new URL(roomUrl).pathname)}`);
    await signUp(page, { email: `viewer-${tag}@example.test`, displayName: 'Viewer', password });
    await page.goto(roomUrl);
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    const server = await host.page.getByTestId('rtmp-url').textContent();
    const key = await host.page.getByTestId('stream-key').textContent();
    publisher = publish(`${server}/${key}`); // what the host copied into OBS

    await page.getByTestId('live-badge').waitFor({ timeout: 60_000 });
    // The live ladder, adaptive, with the quality menu (Auto + three rungs).
    await page.waitForFunction(() => (window.__reelroom?.hls?.levels.length ?? 0) > 0);
    const heights = await page.evaluate(() => window.__reelroom?.hls?.levels.map((l) => l.height) ?? []);
    expect(heights.sort((a, b) => b - a)).toEqual([720, 480, 360]);
    // The player's settings menu offers the rungs (Auto + three).
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('menuitem', { name: /Quality/ }).click();
    await eventually(() => page.getByRole('menuitemradio').count()).toBe(4);
    await page.keyboard.press('Escape');
    await eventually(async () => (await videoState(page))?.currentTime ?? 0, 30_000).toBeGreaterThan(1);
    const first = (await videoState(page))!.currentTime;
    await eventually(async () => (await videoState(page))?.currentTime ?? 0, 10_000).toBeGreaterThan(first + 1);
    expect((await videoState(page))?.paused, errors.join('\n')).toBe(false);
    await eventually(() => page.getByTestId('live-latency').textContent(), 20_000).toMatch(/^\d+\.\d s behind live$/);
    const behind = Number.parseFloat((await page.getByTestId('live-latency').textContent()) ?? '');
    console.warn(`[live e2e] viewer reports ${behind} s behind live`);
    expect(behind).toBeLessThan(10);
    await screenshot(page, 'live-02-viewer-live');
  });

  it('when the host stops, the viewer reads "Live ended" and the replay joins the videos', async () => {
    const { page } = viewer;
    await publisher!.stop();
    await eventually(() => page.getByTestId('live-notice').textContent(), 10_000).toMatch(/^Live ended/);
    expect(await page.getByTestId('live-badge').count()).toBe(0);
    await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 });
    await eventually(() => page.getByTestId('live-notice').textContent()).toBe('Live ended. The recording is in the videos list.');
    await screenshot(page, 'live-03-ended');
  });
});
