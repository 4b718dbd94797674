import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations } from '../support/axe.js';
import {
  eventually,
  joinAsGuest,
  launchBrowser,
  openPage,
  openQualityMenu,
  screenshot,
  showControls,
  signUp,
  videoState,
  type PageWithTools,
} from '../support/browser.js';
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The player UI (issue 12): one control bar (Vidstack driving our hls.js) instead of the browser's native
 * controls; storyboard previews on its seek bar; quality, speed and captions in its menus; keyboard
 * shortcuts anywhere but in text fields, going through the room's sync; the room's fullscreen that keeps
 * the chat (usable) and floating reactions; the bar on a phone; axe on the room page with the player.
 */

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true };
const DESK: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, bypassCSP: true };

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

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

/** Moves focus off any control (as a person clicking the page background does), so keys go to the player. */
async function focusPage(page: Page) {
  await page.getByRole('heading', { level: 1 }).click();
}

/** Vidstack hides its controls while the pointer rests: moving over the player shows them (as for a person). */
const position = async (page: Page) => (await videoState(page))?.currentTime ?? -1;

describe('the player UI: one control bar, keyboard, fullscreen with chat, phones', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let guest: PageWithTools;
  let roomUrl = '';
  let clip = '';
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const [s, b, file] = await Promise.all([
      startStack(),
      launchBrowser(),
      // 45 s: the phone's double-tap (+10 s) comes after the keyboard's jumps left the room near 0:20, and
      // with 30 s it landed on the end, where a tap's play restarts the clip from 0 (seen in a full run).
      makeClip({ seconds: 45, width: 854, height: 480, audio: true, name: 'player-clip.mp4' }),
    ]);
    stack = s;
    browser = b;
    clip = file;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('replaces the native controls with one bar: play, seek with storyboard previews, volume, settings, PiP, theater, fullscreen', async () => {
    host = await openPage(await browser.newContext(DESK));
    const { page, errors } = host;
    await page.goto(stack.baseUrl + '/register');
    await signUp(page, { email: `pia-${tag}@example.test`, displayName: 'Pia', password: 'correct horse battery' });
    const errorsBefore = errors.length; // the signed-out session check before sign-up answers 401
    await page.getByLabel('Room name').fill('Player night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    // A path, not a buffer: the browser reads the file itself (nothing to ship over the protocol on a busy box).
    await page.getByLabel('Video file').setInputFiles(clip, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Upload' }).click();
    const row = page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'player-clip.mp4' });
    await row.waitFor({ timeout: 180_000 });
    await row.locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    await page.waitForFunction(() => (window.__reelroom?.hls?.levels.length ?? 0) > 1);
    await eventually(async () => ((await videoState(page))?.currentTime ?? 0) > 0.3, 60_000).toBe(true);
    await showControls(page);
    // The bar fades while the pointer rests; force the click through its fade (it is the play button).
    await page.getByTestId('media-player').locator('.vds-play-button').click({ force: true });
    await eventually(async () => (await videoState(page))?.paused).toBe(true);

    // No native controls: the one bar is ours.
    expect(await page.getByTestId('player').evaluate((v: HTMLVideoElement) => v.controls)).toBe(false);
    const bar = page.getByTestId('media-player');
    await showControls(page);
    expect(await bar.locator('.vds-play-button').count()).toBe(1);
    for (const name of ['Mute', 'Settings', 'Picture-in-picture', 'Theater mode', 'Fullscreen with chat']) {
      expect(await bar.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    }
    expect(await bar.getByRole('slider', { name: 'Seek' }).count()).toBe(1);
    expect(await bar.getByRole('slider', { name: 'Volume' }).count()).toBe(1);

    // Storyboard previews in the bar itself: hovering the seek bar shows the sprite's tile.
    const seek = bar.locator('.vds-time-slider');
    const box = (await seek.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    const thumb = bar.locator('.vds-slider-thumbnail img');
    await eventually(() => thumb.getAttribute('src')).toContain('/storyboard.jpg');
    await screenshot(page, 'player-01-bar-storyboard', { fullPage: false });
    await page.mouse.move(5, 5);
    expect(errors.slice(errorsBefore).filter((e) => !e.includes('favicon'))).toEqual([]);
  });

  it('picks a quality rung (Auto + rungs) and the speed from the settings menu; the speed is the room’s', async () => {
    const { page } = host;
    guest = await openPage(await browser.newContext(DESK));
    await guest.page.goto(roomUrl);
    await joinAsGuest(guest.page, { displayName: 'Gus' });
    await guest.page.getByTestId('player').waitFor();

    const levels = await page.evaluate(() => window.__reelroom!.hls!.levels.map((l) => l.height));
    const lowest = levels.indexOf(Math.min(...levels));
    const options = await openQualityMenu(page);
    await eventually(() => options.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Auto/), expect.stringMatching(/^360p/)]),
    );
    expect(await options.count()).toBe(levels.length + 1);
    await options.filter({ hasText: /^360p/ }).click();
    await page.waitForFunction((i) => window.__reelroom?.hls?.currentLevel === i, lowest, { timeout: 30_000 });
    await eventually(() => page.getByTestId('player-box').getAttribute('data-playing-level')).toBe(String(lowest));
    await screenshot(page, 'player-02-quality-menu', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    await showControls(page);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('menuitem', { name: /Speed/ }).click();
    // A slider in quarter steps across the room's rates: one step up is 1.25x, for everyone.
    const speed = page.getByRole('slider', { name: 'Speed' });
    await speed.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(async () => (await videoState(guest.page))?.playbackRate).toBe(1.25);
    await page.keyboard.press('ArrowLeft');
    await eventually(async () => (await videoState(guest.page))?.playbackRate).toBe(1);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('menuitem', { name: /Speed/ }).isVisible()).toBe(false);
  });

  it('keyboard: K and Space play/pause, J/L jump 10 s, arrows seek and set the volume, M mutes, F fullscreen; not while typing', async () => {
    const { page } = host;
    await focusPage(page);
    await page.keyboard.press('k');
    // Through the room's sync: the other page plays too.
    await eventually(async () => (await videoState(guest.page))?.paused).toBe(false);
    await page.keyboard.press(' ');
    await eventually(async () => (await videoState(guest.page))?.paused).toBe(true);
    await eventually(async () => (await videoState(page))?.paused).toBe(true);

    const t0 = await position(page);
    await page.keyboard.press('l');
    await eventually(() => position(page)).toBeGreaterThan(t0 + 9);
    await eventually(() => position(guest.page)).toBeGreaterThan(t0 + 9);
    const t1 = await position(page);
    await page.keyboard.press('j');
    await eventually(() => position(page)).toBeLessThan(t1 - 9);
    const t2 = await position(page);
    await page.keyboard.press('ArrowRight');
    await eventually(() => position(page)).toBeGreaterThan(t2 + 4);

    const volume = () => page.getByTestId('player').evaluate((v: HTMLVideoElement) => ({ volume: v.volume, muted: v.muted }));
    const v0 = (await volume()).volume;
    await page.keyboard.press('ArrowDown');
    await eventually(async () => (await volume()).volume).toBeLessThan(v0);
    await page.keyboard.press('m');
    await eventually(async () => (await volume()).muted).toBe(true);
    // M toggles the player's own muted state, which follows the element's volumechange event: a press
    // before that event ran would toggle the old state (mute again). A person cannot press that fast.
    await eventually(() => page.getByTestId('media-player').getAttribute('data-muted')).not.toBeNull();
    await page.keyboard.press('m');
    await eventually(async () => (await volume()).muted).toBe(false);

    // In a text field the keys are text.
    const message = page.getByLabel('Message', { exact: true });
    await message.click();
    const before = (await videoState(page))?.paused;
    await page.keyboard.type('k l m');
    expect(await message.inputValue()).toBe('k l m');
    expect((await videoState(page))?.paused).toBe(before);
    await message.fill('');

    await focusPage(page);
    await page.keyboard.press('f');
    await eventually(() => page.evaluate(() => document.fullscreenElement?.className ?? null)).toContain('room-grid');
    await page.evaluate(() => document.exitFullscreen());
    await eventually(() => page.evaluate(() => document.fullscreenElement)).toBe(null);
  });

  it("the room's fullscreen keeps the party: player, sync controls, a usable chat and floating reactions", async () => {
    const { page } = host;
    await showControls(page);
    await page.getByRole('button', { name: 'Fullscreen with chat' }).click();
    await eventually(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    const inFullscreen = (selector: string) =>
      page.evaluate((sel) => {
        const el = document.querySelector(sel);
        return el !== null && document.fullscreenElement?.contains(el) === true && el.getBoundingClientRect().width > 0;
      }, selector);
    expect(await inFullscreen('[data-testid="player"]')).toBe(true);
    expect(await inFullscreen('[data-testid="sync-controls"]')).toBe(true);
    expect(await inFullscreen('.chat-form textarea')).toBe(true);

    const message = page.getByLabel('Message', { exact: true });
    await message.fill('typed in fullscreen');
    await message.press('Enter');
    const onGuest = guest.page.getByTestId('chat-message').filter({ hasText: 'typed in fullscreen' });
    await onGuest.waitFor();
    await onGuest.getByRole('button', { name: /^React to Pia/ }).click();
    await onGuest.getByRole('button', { name: 'React with 🎉' }).click();
    await eventually(() => page.locator('.floating-reaction').allTextContents()).toContain('🎉');
    expect(await inFullscreen('.floating-reaction')).toBe(true);
    await screenshot(page, 'player-03-fullscreen-chat', { fullPage: false });

    // The chat panel hides for a clean picture, and comes back.
    const width = async () => (await page.getByTestId('player').boundingBox())!.width;
    const withChat = await width();
    await page.getByRole('button', { name: 'Hide chat' }).click();
    await eventually(() => page.locator('.chat-form textarea').isVisible()).toBe(false);
    expect(await width()).toBeGreaterThan(withChat);
    await page.getByRole('button', { name: 'Show chat' }).click();
    await eventually(() => page.locator('.chat-form textarea').isVisible()).toBe(true);
    await showControls(page);
    await page.getByRole('button', { name: 'Exit fullscreen' }).click();
    await eventually(() => page.evaluate(() => document.fullscreenElement)).toBe(null);
  });

  it('theater mode gives the player the room’s full width', async () => {
    const { page } = host;
    const before = (await page.getByTestId('player').boundingBox())!.width;
    await showControls(page);
    await page.getByRole('button', { name: 'Theater mode' }).click();
    await eventually(async () => (await page.getByTestId('player').boundingBox())!.width).toBeGreaterThan(before + 100);
    await screenshot(page, 'player-04-theater', { fullPage: false });
    await showControls(page);
    await page.getByRole('button', { name: 'Leave theater mode' }).click();
  });

  it('on a phone: the bar fits, no sideways scroll, player and chat input together, double-tap right seeks +10 s', async () => {
    const phone = await openPage(await browser.newContext(PHONE));
    const { page } = phone;
    await page.goto(roomUrl);
    await joinAsGuest(page, { displayName: 'Phil' });
    await page.getByTestId('player').waitFor();
    await eventually(async () => ((await videoState(page))?.readyState ?? 0) >= 1).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByLabel('Message', { exact: true }).scrollIntoViewIfNeeded();
    expect(await shownInViewport(page, '[data-testid="media-player"]')).toBe(true);
    expect(await shownInViewport(page, '.chat-form textarea')).toBe(true);

    // A tap shows the controls; every control of the bar lies inside the player.
    const player = (await page.getByTestId('media-player').boundingBox())!;
    await page.touchscreen.tap(player.x + player.width / 2, player.y + player.height / 2);
    await eventually(() => page.getByTestId('media-player').getAttribute('data-controls')).not.toBe(null);
    const outside = await page.evaluate(() => {
      const p = document.querySelector('[data-testid="media-player"]')!.getBoundingClientRect();
      return [...document.querySelectorAll<HTMLElement>('[data-testid="media-player"] .vds-controls button')]
        .map((b) => ({ r: b.getBoundingClientRect(), label: b.getAttribute('aria-label') }))
        .filter(({ r }) => r.width > 0 && (r.left < p.left - 1 || r.right > p.right + 1))
        .map(({ label }) => label);
    });
    expect(outside).toEqual([]);

    const t0 = await position(page);
    const x = player.x + player.width * 0.92;
    const y = player.y + player.height * 0.4;
    await page.touchscreen.tap(x, y);
    await page.touchscreen.tap(x, y);
    await eventually(() => position(host.page)).toBeGreaterThan(t0 + 8);
    await screenshot(page, 'player-05-phone-bar', { fullPage: false });
    await page.context().close();
  });

  it('has no serious or critical accessibility violations on the room page with the player (axe-core)', async () => {
    expect(await seriousA11yViolations(host.page)).toEqual([]);
    expect(await seriousA11yViolations(guest.page)).toEqual([]);
  });
});
