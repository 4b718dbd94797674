import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import './page-hooks.js';
import { eventually } from './wait.js';

export { eventually };

/**
 * Debian's Chromium, driven by playwright-core (no bundled browser download). The flags keep it from
 * phoning home or updating during a run, and let video play without a user gesture. `fakeMedia`: a
 * synthetic camera (a moving test pattern) and microphone (a beep every second) instead of real devices,
 * and camera/microphone permission granted without a prompt (cameras, issue 13).
 */
export function launchBrowser(opts: { fakeMedia?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      ...(opts.fakeMedia ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : []),
    ],
  });
}

/**
 * Saves a full-page screenshot (or the viewport only, which shows sticky parts where a person sees them) as `<E2E_SCREENSHOTS>/<name>.png` when E2E_SCREENSHOTS is set, and does
 * nothing otherwise: screenshots are for people looking at a run, never something a test depends on.
 */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string | null> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return null;
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

export interface PageWithTools {
  page: Page;
  /** Everything the page logged as an error: printed when an assertion fails, to show why. */
  errors: string[];
}

/**
 * Runs in every page before its scripts: keeps the last media element events (and who called pause(),
 * from the stack) in `window.__mediaLog`, which the failure report prints. "The video stopped" then
 * says whether it paused, ended or was replaced, and what paused it.
 */
function recordMediaEvents() {
  const log: string[] = [];
  window.__mediaLog = log;
  const note = (what: string, el: HTMLMediaElement) => {
    const at = ` at ${el.currentTime.toFixed(2)}`;
    log.push(`${(performance.now() / 1000).toFixed(2)} s ${what}${at}`);
    if (log.length > 60) log.shift();
  };
  // Media elements only: the player library re-dispatches the same events on its own elements.
  for (const type of ['play', 'pause', 'ended', 'emptied', 'loadstart', 'seeking']) {
    document.addEventListener(type, (e) => e.target instanceof HTMLMediaElement && note(type, e.target), true);
  }
  const pause = HTMLMediaElement.prototype.pause;
  HTMLMediaElement.prototype.pause = function (this: HTMLMediaElement) {
    const from = (new Error().stack ?? '')
      .split('\n')
      .slice(2, 7)
      .map((l) => l.trim().slice(0, 140));
    note(`pause() called from ${from.join(' < ')}`, this);
    pause.call(this);
  };
}

/** Every page openPage made in this test file, for the failure report (e2e-failure-report.ts). */
export const openPages = new Set<PageWithTools>();

export async function openPage(context: BrowserContext): Promise<PageWithTools> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  const tools = { page, errors };
  openPages.add(tools);
  await page.addInitScript(recordMediaEvents);
  page.on('close', () => openPages.delete(tools));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return tools;
}

/** Fills the sign-up form the way a person does and waits until the header shows the new user. */
export async function signUp(page: Page, who: { email: string; displayName: string; password: string }) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Display name').fill(who.displayName);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await eventually(() => page.getByTestId('current-user').textContent()).toBe(who.displayName);
}

/** The page's `<video data-testid="player">` state, read inside the page. */
export function videoState(page: Page) {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="player"]');
    return v ? { currentTime: v.currentTime, paused: v.paused, playbackRate: v.playbackRate, readyState: v.readyState } : null;
  });
}

/**
 * Acts on the page's video element the way its own controls do (play, pause, seek, speed, loop).
 * play()'s promise is not awaited: in a room the sync engine holds a local play until the room's
 * scheduled start (everyone starts the same frame together), which rejects that promise with
 * "interrupted by a call to pause()" even though playback then starts as intended. Tests assert
 * on what the video does afterwards instead.
 */
export function controlVideo(page: Page, action: { play?: true; pause?: true; seek?: number; rate?: number; loop?: boolean }) {
  return page.evaluate((a) => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="player"]')!;
    if (a.loop !== undefined) v.loop = a.loop;
    if (a.seek !== undefined) v.currentTime = a.seek;
    if (a.rate !== undefined) v.playbackRate = a.rate;
    if (a.pause) v.pause();
    if (a.play) void v.play().catch(() => undefined);
  }, action);
}

/**
 * Joins a room from its link as a guest, through the join form on the room page. The form asks for a PIN
 * only when the room has one (the join page reads the room's preview), so `pin` is typed only when given.
 */
export async function joinAsGuest(page: Page, who: { displayName: string; pin?: string }) {
  await page.getByLabel('Display name').fill(who.displayName);
  if (who.pin !== undefined) await page.getByLabel('PIN').fill(who.pin);
  await page.getByRole('button', { name: 'Join' }).click();
}

/** Moves the mouse over the player, as a person does, so its control bar shows. */
export async function showControls(page: Page) {
  const box = (await page.getByTestId('media-player').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 3);
}

/**
 * Opens the player's Settings, then Quality, and returns its options (Auto and the rungs). Opened again
 * while the list is empty: a playing player hides its control bar after a moment, and a menu opened then,
 * or before the player had the rungs, shows none. A player that never lists rungs still fails here.
 */
export async function openQualityMenu(page: Page) {
  const options = page.getByRole('menuitemradio');
  await eventually(async () => {
    if ((await options.count()) > 0) return true;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await showControls(page);
    await page.getByRole('button', { name: 'Settings', exact: true }).click({ timeout: 5_000 });
    await page.getByRole('menuitem', { name: /Quality/ }).click({ timeout: 5_000 });
    // The submenu renders its entries a moment after it opens.
    return options
      .first()
      .waitFor({ timeout: 3_000 })
      .then(() => true)
      .catch(() => false);
  }, 30_000).toBe(true);
  return options;
}
