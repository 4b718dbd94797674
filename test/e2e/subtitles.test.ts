import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
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
import { FFMPEG_PATH, makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 12 in real Chromium: the host adds an SRT to a video in the videos panel and suggests it; the
 * host's and a guest's players show its cues (hls.js loads the subtitle rendition into the video's text
 * tracks). An MKV with an embedded subtitle track offers that track in the player once converted.
 */
const READY_TIMEOUT = 120_000;
const CUE = 'Hello from the subtitles';
const SRT = `1\n00:00:00,000 --> 00:00:09,000\n${CUE}\n`;

/**
 * The cues of the subtitle track the player shows. Vidstack draws subtitles itself (its captions overlay,
 * styled by the player's caption settings), from its own text tracks, not the <video>'s native ones.
 */
function shownCues(page: Page) {
  return page.evaluate(() => {
    type Tracks = { toArray(): { mode: string; cues: readonly { text: string }[] }[] };
    const player = (window as unknown as { __reelroom?: { player?: { textTracks: Tracks } | null } }).__reelroom?.player;
    if (!player) return null;
    const showing = player.textTracks.toArray().filter((t) => t.mode === 'showing');
    return showing.flatMap((t) => t.cues.map((c) => c.text));
  });
}

/** The cue text drawn over the picture now (what a person reads). */
function activeCueText(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="media-player"] .vds-captions [data-part="cue"]')].map((c) => c.textContent).join('\n'),
  );
}

async function uploadAndOpen(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('Video file').setInputFiles({ name, mimeType: name.endsWith('.mkv') ? 'video/x-matroska' : 'video/mp4', buffer });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: name }).waitFor({ timeout: READY_TIMEOUT });
  await page.getByTestId('media-item').filter({ hasText: name }).locator('button.media-row').click();
  await page.getByTestId('player').waitFor();
}

describe('subtitles in a room', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let guest: PageWithTools;
  let roomUrl = '';
  let clip: Buffer;
  let mkv: Buffer;
  const tag = Date.now().toString(36);
  const dump = () => [host, guest].flatMap((p, i) => (p ? p.errors.map((e) => `[${i}] ${e}`) : [])).join('\n');

  beforeAll(async () => {
    const [s, b, file] = await Promise.all([startStack(), launchBrowser(), makeClip({ seconds: 10, width: 640, height: 360 })]);
    stack = s;
    browser = b;
    clip = await readFile(file);
    const srt = join(dirname(file), 'embedded.srt');
    await writeFile(srt, '1\n00:00:00,500 --> 00:00:08,000\nEmbedded words\n');
    const mkvPath = join(dirname(file), 'film.mkv');
    await promisify(execFile)(FFMPEG_PATH, [
      ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', file, '-i', srt],
      ...['-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'srt', '-metadata:s:s:0', 'language=eng', mkvPath],
    ]);
    mkv = await readFile(mkvPath);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the host uploads a video, adds an SRT to it in the videos panel and suggests it', async () => {
    host = await openPage(await browser.newContext({ viewport: { width: 1280, height: 800 } }));
    const { page } = host;
    await page.goto(stack.baseUrl + '/register');
    await signUp(page, { email: `subs-${tag}@example.test`, displayName: `Sam${tag}`, password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('Subtitled night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    await uploadAndOpen(page, 'clip.mp4', clip);

    const item = page.getByTestId('media-item').filter({ hasText: 'clip.mp4' });
    await item.getByText('Subtitles', { exact: true }).click();
    await item
      .getByLabel('Subtitle file (SRT or WebVTT)')
      .setInputFiles({ name: 'english.srt', mimeType: 'application/x-subrip', buffer: Buffer.from(SRT) });
    await item.getByLabel('Label').fill('English');
    await item.getByLabel('Language').fill('en');
    await item.getByRole('button', { name: 'Add subtitles' }).click();
    await item.getByTestId('subtitle-track').filter({ hasText: 'English' }).waitFor();
    await item.getByRole('button', { name: 'Suggest English to the room' }).click();
    await item.getByTestId('subtitle-track').filter({ hasText: 'suggested' }).waitFor();
    await screenshot(page, 'subtitles-01-panel');
  });

  it('shows the cues in the host’s and a guest’s player, the room’s suggestion applied', async () => {
    guest = await openPage(await browser.newContext({ viewport: { width: 1280, height: 800 } }));
    await guest.page.goto(roomUrl);
    await joinAsGuest(guest.page, { displayName: 'Gina' });
    await eventually(() => guest.page.getByRole('heading', { level: 1 }).textContent()).toBe('Subtitled night');
    const opened = await guest.page
      .getByTestId('player')
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!opened) await guest.page.getByTestId('media-item').filter({ hasText: 'clip.mp4' }).locator('button.media-row').click();

    for (const { page } of [host, guest]) {
      await eventually(() => page.getByLabel('Subtitles', { exact: true }).inputValue(), 30_000).not.toBe('');
      await eventually(async () => (await shownCues(page))?.join('\n') ?? '', 30_000).toContain(CUE);
    }
    // The host starts the video for everyone; the cue spans 0-9 s, so it is the active cue, the one the
    // browser draws, on both screens.
    await controlVideo(host.page, { play: true });
    for (const { page } of [host, guest]) {
      await eventually(async () => ((await videoState(page))?.currentTime ?? 0) > 1, 30_000).toBe(true);
      await eventually(async () => `${await activeCueText(page)}${dump() ? `\n${dump()}` : ''}`, 30_000).toContain(CUE);
    }
    await controlVideo(host.page, { pause: true });
    await screenshot(host.page, 'subtitles-02-host-cue');
    await screenshot(guest.page, 'subtitles-03-guest-cue');

    // A person's own choice wins over the room's: the guest turns them off, the host still sees them.
    await guest.page.getByLabel('Subtitles', { exact: true }).selectOption('');
    await eventually(async () => (await shownCues(guest.page))?.length ?? 0).toBe(0);
    expect(await activeCueText(host.page)).toBe(CUE);
  });

  it('offers the subtitle track embedded in an MKV once it is converted', async () => {
    const { page } = host;
    await uploadAndOpen(page, 'film.mkv', mkv);
    const menu = page.getByLabel('Subtitles', { exact: true });
    await eventually(() => menu.locator('option').allTextContents(), 30_000).toEqual(['Subtitles off', 'English']);
    await menu.selectOption({ label: 'English' });
    await eventually(async () => (await shownCues(page))?.join('\n') ?? '', 30_000).toContain('Embedded words');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'subtitles-04-phone');
  });
});
