import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations } from '../support/axe.js';
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
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The room as a new person meets it (issue 12): on a phone (390x844) and at a desk (1280x800), the join
 * page, whose controls a viewer gets, what moderation says in chat, and axe-core on the main pages.
 */

const PIN = '271828';
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true };
const DESK: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, bypassCSP: true };

/** Whether the element's centre is inside the viewport and is what the page shows there (not covered). */
function shownInViewport(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (r.width === 0 || y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) return false;
    const top = document.elementFromPoint(x, y);
    return top !== null && (el === top || el.contains(top));
  }, selector);
}

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the room on a phone and at a desk', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let phone: PageWithTools;
  let roomUrl = '';
  let clip: Buffer;
  const tag = Date.now().toString(36);
  const hostName = `Rhea${tag}`;

  beforeAll(async () => {
    const [s, b, file] = await Promise.all([
      startStack(),
      launchBrowser(),
      makeClip({ seconds: 12, width: 640, height: 360, audio: true }),
    ]);
    stack = s;
    browser = b;
    clip = await readFile(file);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the host creates a PIN room at a desk and plays a clip', async () => {
    host = await openPage(await browser.newContext(DESK));
    const { page } = host;
    await page.goto(stack.baseUrl + '/register');
    await signUp(page, { email: `rhea-${tag}@example.test`, displayName: hostName, password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('Phone night');
    await page.getByLabel('PIN (optional)').fill(PIN);
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    await page.getByLabel('Video file').setInputFiles({ name: 'phone-clip.mp4', mimeType: 'video/mp4', buffer: clip });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'phone-clip.mp4' })
      .waitFor({ timeout: 120_000 });
    // The upload's "its progress is in the list" note goes once the item is ready.
    await eventually(() => page.getByText('its progress is in the list').count()).toBe(0);
    // Offline, "Play" cannot reach the room: the stage says so instead of doing nothing.
    const liveState = page.getByTestId('live-state');
    await eventually(() => liveState.getAttribute('data-state')).toBe('connected');
    await page.context().setOffline(true);
    await eventually(() => liveState.getAttribute('data-state')).not.toBe('connected');
    await page.getByTestId('media-item').filter({ hasText: 'phone-clip.mp4' }).locator('button.media-row').click();
    await eventually(() => page.getByTestId('playback-error').textContent()).toBe(
      'Not connected to the room right now. Try again in a moment.',
    );
    expect(await page.getByTestId('player').count()).toBe(0);
    await screenshot(page, 'desk-00-play-offline', { fullPage: false });
    await page.context().setOffline(false);
    await eventually(() => liveState.getAttribute('data-state'), 30_000).toBe('connected');
    await page.getByTestId('media-item').filter({ hasText: 'phone-clip.mp4' }).locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    expect(await page.getByTestId('playback-error').count()).toBe(0);
    // "Play" plays (it used to load the video paused while chat said it started).
    await eventually(async () => {
      const v = await videoState(page);
      return v !== null && !v.paused && v.currentTime > 0.3;
    }).toBe(true);
    await controlVideo(page, { pause: true, seek: 0 });
    await eventually(async () => (await videoState(page))?.paused).toBe(true);
  });

  it('keeps one generic answer for an unknown link, with the real wait once attempts run out', async () => {
    const stranger = await openPage(await browser.newContext(PHONE));
    const { page } = stranger;
    await page.goto(`${stack.baseUrl}/r/${'Q'.repeat(22)}`);
    await page.getByRole('heading', { name: 'Join this room' }).waitFor();
    for (let i = 0; i < 5; i++) {
      await joinAsGuest(page, { displayName: 'Probe', pin: `00000${i}` });
      await eventually(() => page.getByRole('alert').textContent()).toBe('This room does not exist, or the PIN is wrong.');
      await page.getByRole('button', { name: 'Join' }).waitFor();
    }
    expect(await page.getByTestId('room-preview').count()).toBe(0);
    await joinAsGuest(page, { displayName: 'Probe', pin: '000009' });
    // The server's Retry-After (PIN_FAIL_WINDOW_SEC, 600 s here), said as a wait: not "wait a minute".
    await eventually(() => page.getByRole('alert').textContent()).toMatch(/^Too many attempts\. Try again in (9|10) min( \d+ s)?\.$/);
    await page.context().close();
  });

  it('a guest on a phone sees the room before joining, is told the PIN is needed or wrong, then joins', async () => {
    phone = await openPage(await browser.newContext(PHONE));
    const { page } = phone;
    await page.goto(roomUrl);
    const preview = page.getByTestId('room-preview');
    await eventually(() => preview.textContent()).toBe(`Phone night · hosted by ${hostName} · 1 watching · needs a PIN`);
    await screenshot(page, 'phone-00-join', { fullPage: false });
    await page.getByLabel('Display name').fill('Pia');
    await page.getByRole('button', { name: 'Join' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toBe('This room needs a PIN.');
    await joinAsGuest(page, { displayName: 'Pia', pin: '000000' });
    await eventually(() => page.getByRole('alert').textContent()).toBe('Wrong PIN.');
    await joinAsGuest(page, { displayName: 'Pia', pin: PIN });
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Phone night');
    await page.getByTestId('player').waitFor();
  });

  it('lays the room out for a phone: no sideways scroll, the player on top, chat and its input with it, tabs', async () => {
    const { page } = phone;
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // The chat input, scrolled to, shows together with the player (which stays on top).
    await page.getByLabel('Message', { exact: true }).scrollIntoViewIfNeeded();
    // The player (its bar's overlays lie over the <video>).
    expect(await shownInViewport(page, '[data-testid="media-player"]')).toBe(true);
    expect(await shownInViewport(page, '.chat-form textarea')).toBe(true);
    const player = await page.getByTestId('player').boundingBox();
    const input = await page.getByLabel('Message', { exact: true }).boundingBox();
    expect(player!.y + player!.height).toBeLessThanOrEqual(input!.y);
    await screenshot(page, 'phone-01-room-chat', { fullPage: false });

    // Tabs for the other panels: one panel at a time under the player.
    await page.getByRole('tab', { name: 'Videos' }).click();
    await eventually(() => page.getByTestId('media-item').first().isVisible()).toBe(true);
    expect(await page.getByLabel('Message', { exact: true }).isVisible()).toBe(false);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-02-room-videos', { fullPage: false });
    await page.getByRole('tab', { name: 'People' }).click();
    await eventually(() => page.getByTestId('person').count()).toBe(2);
    expect(await page.getByTestId('media-item').first().isVisible()).toBe(false);
    await screenshot(page, 'phone-03-room-people', { fullPage: false });
    await page.getByRole('tab', { name: 'Chat' }).click();
    await eventually(() => page.getByLabel('Message', { exact: true }).isVisible()).toBe(true);

    // Each message's buttons say which message they act on.
    const message = page.getByLabel('Message', { exact: true });
    await message.fill('hello from the phone');
    await message.press('Enter');
    await host.page.getByRole('button', { name: 'Reply to Pia: “hello from the phone”' }).waitFor();
    await host.page.getByRole('button', { name: 'React to Pia: “hello from the phone”' }).waitFor();
    await host.page.getByRole('button', { name: 'Delete Pia: “hello from the phone”' }).waitFor();

    // The host's room on a phone too: its heading actions (Go live, Room settings) stay on screen.
    const hostPhone = await openPage(await browser.newContext({ ...PHONE, storageState: await host.page.context().storageState() }));
    await hostPhone.page.goto(roomUrl);
    await hostPhone.page.getByRole('button', { name: 'Room settings' }).waitFor();
    expect(await horizontalOverflow(hostPhone.page)).toBeLessThanOrEqual(0);
    expect(await shownInViewport(hostPhone.page, '.room-head .head-action:last-of-type')).toBe(true);
    await screenshot(hostPhone.page, 'phone-04-host-room', { fullPage: false });
    await hostPhone.page.context().close();
  });

  it('keeps the desktop layout: player and chat side by side, videos and people under the player', async () => {
    const { page } = host;
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await page.getByRole('tablist', { name: 'Room panels' }).isVisible()).toBe(false);
    const player = (await page.getByTestId('player').boundingBox())!;
    const chat = (await page.getByRole('complementary', { name: 'Chat' }).boundingBox())!;
    const videos = (await page.getByRole('region', { name: 'Videos' }).boundingBox())!;
    expect(chat.x).toBeGreaterThan(player.x + player.width - 1);
    expect(videos.y).toBeGreaterThan(player.y + player.height - 1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'desk-01-room', { fullPage: false });
  });

  it('gives playback controls by the current role: none for a viewer in a locked room, then on promotion, gone on demotion', async () => {
    await host.page.getByRole('button', { name: 'Room settings' }).click();
    await host.page.getByLabel('Only host and moderators control playback').check();
    await host.page.getByRole('button', { name: 'Save settings' }).click();
    await host.page.getByRole('button', { name: 'Hide settings' }).click();
    const { page } = phone;
    // The player's bar (Vidstack) says whom it serves; a viewer's has no play button and no seeking.
    const hasControls = async () =>
      (await page.getByTestId('media-player').getAttribute('data-can-control')) === 'true' &&
      (await page.getByTestId('media-player').locator('.vds-play-button').count()) > 0;
    // A viewer: no controls that would snap back (sound, captions, quality and fullscreen stay), and a plain note.
    await eventually(hasControls).toBe(false);
    expect(await page.getByTestId('player').evaluate((v: HTMLVideoElement) => v.controls)).toBe(false);
    // (A phone gets Vidstack's small layout, which keeps the seek bar hidden until playback first starts.)
    expect(await page.getByRole('slider', { name: 'Seek', includeHidden: true }).getAttribute('aria-disabled')).toBe('true');
    // What stays: settings (quality, captions) and the room's fullscreen. (Sound: on a phone Vidstack leaves
    // the volume to the phone's own keys and shows its mute button only while muted.)
    await page
      .getByTestId('media-player')
      .getByRole('button', { name: 'Settings', exact: true, includeHidden: true })
      .waitFor({ state: 'attached' });
    await page.getByTestId('room-fullscreen').waitFor({ state: 'attached' });
    expect(await page.getByTestId('control-note').textContent()).toBe('The host and moderators control playback.');
    // Whatever still moves the element (a media key) is put back quietly: no red refusal, the room stays paused.
    await controlVideo(page, { play: true });
    await eventually(async () => (await videoState(page))?.paused).toBe(true);
    expect(await page.locator('.sync-controls .error').count()).toBe(0);
    expect((await videoState(host.page))?.paused).toBe(true);
    await screenshot(page, 'phone-05-viewer-controls', { fullPage: false });

    // Promoted: controls work at once.
    await host.page.getByRole('button', { name: 'Make moderator' }).click();
    await eventually(hasControls).toBe(true);
    expect(await page.getByTestId('control-note').count()).toBe(0);
    await controlVideo(page, { play: true });
    await eventually(async () => {
      const v = await videoState(host.page);
      return v !== null && !v.paused && v.currentTime > 0.5;
    }).toBe(true);
    await controlVideo(page, { pause: true });
    await eventually(async () => (await videoState(host.page))?.paused).toBe(true);
    expect(await page.locator('.sync-controls .error').count()).toBe(0);

    // Demoted: the controls go again.
    await host.page.getByRole('button', { name: 'Remove moderator' }).click();
    await eventually(hasControls).toBe(false);
    // The room read both in chat.
    const lines = page.locator('[data-testid="chat-message"][data-kind="system"]');
    await eventually(() => lines.allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${hostName} made Pia a moderator`),
        expect.stringContaining(`${hostName} removed Pia as moderator`),
      ]),
    );
  });

  it('"Play" starts the video for everyone; a browser that blocks autoplay shows one "Click to join playback" that joins at the room position', async () => {
    // Headless Chromium plays with sound whatever its autoplay flag says, so this page gets the rule
    // browsers apply by default: play() with sound is refused (NotAllowedError) until the person has
    // clicked in the document (a trusted pointerdown; a reload starts a new document).
    const strict = await browser.newContext(DESK);
    await strict.addInitScript(() => {
      let clicked = false;
      addEventListener('pointerdown', (e) => (clicked ||= e.isTrusted), true);
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        if (!this.muted && !clicked) {
          return Promise.reject(
            new DOMException("play() failed because the user didn't interact with the document first.", 'NotAllowedError'),
          );
        }
        return play.call(this);
      };
    });
    try {
      const ada = await openPage(strict);
      await ada.page.goto(roomUrl);
      await joinAsGuest(ada.page, { displayName: 'Ada', pin: PIN });
      await eventually(() => ada.page.getByRole('heading', { level: 1 }).textContent()).toBe('Phone night');
      // A fresh document: clicking Join was a user gesture, which would let this page play sound.
      await ada.page.reload();
      await ada.page.getByTestId('player').waitFor();

      await host.page.getByTestId('media-item').filter({ hasText: 'phone-clip.mp4' }).locator('button.media-row').click();
      for (const p of [host.page, phone.page]) {
        await eventually(async () => {
          const v = await videoState(p);
          return v !== null && !v.paused && v.currentTime > 0.5;
        }).toBe(true);
      }
      const join = ada.page.getByRole('button', { name: 'Click to join playback' });
      await join.waitFor();
      expect(await join.count()).toBe(1);
      await screenshot(ada.page, 'desk-04-click-to-join', { fullPage: false });
      await join.click();
      await eventually(async () => {
        const [a, h] = await Promise.all([videoState(ada.page), videoState(host.page)]);
        return a !== null && h !== null && !a.paused && Math.abs(a.currentTime - h.currentTime) < 1;
      }).toBe(true);
      expect(await join.count()).toBe(0);
      await controlVideo(host.page, { pause: true });
      await eventually(async () => (await videoState(phone.page))?.paused).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('has no serious or critical accessibility violations on the main pages (axe-core)', async () => {
    const found: Record<string, string[]> = {};
    found['room at a desk'] = await seriousA11yViolations(host.page);
    found['room on a phone'] = await seriousA11yViolations(phone.page);
    const visitor = await openPage(await browser.newContext(DESK));
    await visitor.page.goto(stack.baseUrl + '/');
    await visitor.page.getByRole('heading', { level: 1 }).first().waitFor();
    found['home'] = await seriousA11yViolations(visitor.page);
    await visitor.page.goto(stack.baseUrl + '/login');
    await visitor.page.getByLabel('Password').waitFor();
    found['login'] = await seriousA11yViolations(visitor.page);
    await visitor.page.goto(roomUrl);
    await visitor.page.getByLabel('Display name').waitFor();
    found['join page'] = await seriousA11yViolations(visitor.page);
    const myRooms = await openPage(await browser.newContext({ ...DESK, storageState: await host.page.context().storageState() }));
    await myRooms.page.goto(stack.baseUrl + '/');
    await myRooms.page.getByRole('heading', { name: 'My rooms' }).waitFor();
    found['home signed in'] = await seriousA11yViolations(myRooms.page);
    expect(found).toEqual({ 'room at a desk': [], 'room on a phone': [], home: [], login: [], 'join page': [], 'home signed in': [] });
    await myRooms.page.context().close();
  });

  it('asks before a ban, announces it, lists the ban with Unban; a closed room is marked in My rooms and reopens', async () => {
    const max = await openPage(await browser.newContext(DESK));
    await max.page.goto(roomUrl);
    await joinAsGuest(max.page, { displayName: 'Max', pin: PIN });
    await eventually(() => max.page.getByRole('heading', { level: 1 }).textContent()).toBe('Phone night');
    const { page } = host;
    await page.getByRole('button', { name: 'Ban Max' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Ban Max?' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('person').filter({ hasText: 'Max' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Ban Max' }).click();
    await ask.getByRole('button', { name: 'Ban', exact: true }).click();
    await max.page.getByText('You were banned from this room.').waitFor();
    const lines = page.locator('[data-testid="chat-message"][data-kind="system"]');
    await eventually(async () => (await lines.allTextContents()).some((l) => l.includes(`${hostName} banned Max`))).toBe(true);
    await page.getByTestId('banned-person').filter({ hasText: 'Max' }).waitFor();
    await screenshot(page, 'desk-02-ban-list', { fullPage: false });
    await page.getByRole('button', { name: 'Unban Max' }).click();
    await eventually(() => page.getByTestId('banned-person').count()).toBe(0);

    await page.getByRole('button', { name: 'Room settings' }).click();
    await page.getByRole('button', { name: 'Close room', exact: true }).click();
    await page.getByRole('button', { name: 'Close room for everyone' }).click();
    await page.goto(stack.baseUrl + '/');
    const mine = page.getByTestId('my-room').filter({ hasText: 'Phone night' });
    await eventually(() => mine.getAttribute('data-closed')).toBe('true');
    expect(await mine.locator('.closed-badge').textContent()).toBe('Closed');
    await screenshot(page, 'desk-03-my-rooms-closed', { fullPage: false });
    await page.getByRole('button', { name: 'Reopen Phone night' }).click();
    await eventually(() => mine.getAttribute('data-closed')).toBe('false');
    await mine.getByRole('link').click();
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Phone night');
    await max.page.context().close();
  });
});
