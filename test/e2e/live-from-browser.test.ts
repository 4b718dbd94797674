import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, screenshot, signUp, videoState, type PageWithTools } from '../support/browser.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Going live from the browser as a host does: "Use my camera" (Chromium's fake camera and microphone),
 * the preview, Go live; a viewer in the room sees the LIVE badge, the latency and the picture moving; the
 * host presses Stop live and both read "Live ended", and the recording joins the videos.
 */
describe('going live from the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let viewer: PageWithTools;
  let roomUrl = '';
  const password = 'correct horse battery';
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser({ fakeMedia: true })]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the host opens the camera preview with device pickers', async () => {
    host = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page } = host;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `bhost-${tag}@example.test`, displayName: 'Host', password });
    await page.getByLabel('Room name').fill('Camera night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByRole('button', { name: 'Use my camera' }).click();
    const preview = page.getByLabel('Your camera preview');
    await eventually(() => preview.evaluate((v: HTMLVideoElement) => v.videoWidth), 15_000).toBeGreaterThan(0);
    expect(await page.getByLabel('Camera').locator('option').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('Microphone').locator('option').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Mute' }).click();
    expect(await page.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Unmute' }).click();
    await screenshot(page, 'browser-live-01-preview');
  });

  it('a viewer watches the live with the LIVE badge while the host streams from the browser', async () => {
    viewer = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const { page, errors } = viewer;
    await page.goto(`${stack.baseUrl}/register?next=${encodeURIComponent(new URL(roomUrl).pathname)}`);
    await signUp(page, { email: `bviewer-${tag}@example.test`, displayName: 'Viewer', password });
    await page.goto(roomUrl);
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    await host.page.getByRole('button', { name: 'Go live', exact: true }).last().click();
    // "You are live" once the room has the live on air (before that: "Sending; the room sees you in a moment…").
    await eventually(() => host.page.getByRole('status').filter({ hasText: 'You are live from this browser' }).count(), 60_000).toBe(1);
    // Over WebRTC (WHIP), the nearer path, where it connects.
    expect(await host.page.getByRole('status').filter({ hasText: 'You are live from this browser' }).getAttribute('data-transport')).toBe(
      'webrtc',
    );

    await page.getByTestId('live-badge').waitFor({ timeout: 60_000 });
    // The host's page says why when it stops by itself (a slow upload, a lost connection).
    const hostAlerts = () => host.page.getByRole('alert').allTextContents();
    await eventually(async () => (await videoState(page))?.currentTime ?? 0, 30_000).toBeGreaterThan(1);
    expect(await hostAlerts()).toEqual([]);
    const first = (await videoState(page))!.currentTime;
    await eventually(async () => (await videoState(page))?.currentTime ?? 0, 15_000).toBeGreaterThan(first + 1);
    expect((await videoState(page))?.paused, errors.join('\n')).toBe(false);
    expect(await hostAlerts()).toEqual([]);
    await eventually(() => page.getByTestId('live-latency').textContent(), 20_000).toMatch(/^\d+\.\d s behind live$/);
    console.warn(`[browser live e2e] viewer reports ${await page.getByTestId('live-latency').textContent()}`);
    await screenshot(page, 'browser-live-02-viewer');
    await screenshot(host.page, 'browser-live-03-host-live');
  });

  it('Stop live ends it for both, and the recording joins the videos', async () => {
    await host.page.getByRole('button', { name: 'Stop live' }).click();
    for (const { page } of [viewer, host]) {
      await eventually(() => page.getByTestId('live-notice').textContent(), 15_000).toMatch(/^Live ended/);
    }
    expect(await viewer.page.getByTestId('live-badge').count()).toBe(0);
    // The preview stays open: the host can go live again.
    await host.page.getByRole('button', { name: 'Go live', exact: true }).last().waitFor();
    await viewer.page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 });
    await host.page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
  });

  it('without WebRTC the page goes live over the recorder socket instead, and the room sees the same live', async () => {
    const { page } = host;
    await page.context().addInitScript(() => {
      // A browser without WebRTC (or one whose UDP is blocked: the same fallback after the connect timeout).
      delete (window as { RTCPeerConnection?: unknown }).RTCPeerConnection;
    });
    await page.reload();
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByRole('button', { name: 'Use my camera' }).click();
    await eventually(() => page.getByLabel('Your camera preview').evaluate((v: HTMLVideoElement) => v.videoWidth), 15_000).toBeGreaterThan(
      0,
    );
    await page.getByRole('button', { name: 'Go live', exact: true }).last().click();
    const status = page.getByRole('status').filter({ hasText: 'You are live from this browser' });
    await eventually(() => status.count(), 60_000).toBe(1);
    expect(await status.getAttribute('data-transport')).toBe('recorder');
    await viewer.page.getByTestId('live-badge').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop live' }).click();
    await eventually(() => viewer.page.getByTestId('live-notice').textContent(), 15_000).toMatch(/^Live ended/);
  });
});
