import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView, RoomView } from '@reelroom/contracts';
import { controlVideo, eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { FFMPEG_PATH, makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 4 in the browser: a video still converting can be played from the start, keeps playing into
 * the finished stream; the storyboard previews on hover; an audio upload plays with its poster.
 */
const run = promisify(execFile);
const item = (page: Page, name: string) => page.getByTestId('media-item').filter({ hasText: name });
const video = (page: Page) =>
  page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="player"]')!;
    return { currentTime: v.currentTime, duration: v.duration, paused: v.paused, ended: v.ended, poster: v.getAttribute('poster') };
  });

describe('playing while converting, storyboard previews, audio posters', () => {
  let stack: Stack;
  let browser: Browser;
  let me: PageWithTools;
  let scratch: string;
  let longClip: Buffer;
  let song: Buffer;
  let room: RoomView;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rr-e2e-early-'));
    const mp3 = join(scratch, 'song.mp3');
    const [s, b, clip] = await Promise.all([
      startStack(),
      launchBrowser(),
      makeClip({ seconds: 40, width: 1280, height: 720, audio: true, dir: scratch }),
      run(FFMPEG_PATH, [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=330:sample_rate=44100:duration=8',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '128k',
        mp3,
      ]),
    ]);
    stack = s;
    browser = b;
    [longClip, song] = await Promise.all([readFile(clip), readFile(mp3)]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('signs up and opens a room', async () => {
    me = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    await me.page.goto(`${stack.baseUrl}/register`);
    await signUp(me.page, {
      email: `early-${Date.now().toString(36)}@example.test`,
      displayName: 'Early',
      password: 'correct horse battery',
    });
    // The page's own request context carries its session cookie: the REST calls the page would make, with
    // the Origin a browser sends (a cookie write without one is refused as cross-site, docs/SECURITY.md).
    room = (await (
      await me.page.request.post(`${stack.baseUrl}/api/rooms`, { data: { name: 'Early birds' }, headers: { origin: stack.baseUrl } })
    ).json()) as RoomView;
    await me.page.goto(`${stack.baseUrl}/r/${room.id}`);
    await eventually(() => me.page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
  });

  const upload = async (name: string, mimeType: string, buffer: Buffer) => {
    const res = await me.page.request.post(`${stack.baseUrl}/api/rooms/${room.id}/media`, {
      multipart: { file: { name, mimeType, buffer } },
      headers: { origin: stack.baseUrl },
    });
    expect(res.status(), await res.text()).toBe(202);
    return (await res.json()) as MediaView;
  };

  it('plays a video from the beginning while it is still converting, and carries on into the finished stream', async () => {
    const { page } = me;
    const errorsBefore = me.errors.length; // the signed-out session check before sign-up answers 401
    await upload('long-clip.mp4', 'video/mp4', longClip);
    const row = item(page, 'long-clip.mp4');
    // Clickable while processing, once the first segment of every rung exists.
    const playButton = row.locator('button.media-row');
    await playButton.waitFor({ timeout: 60_000 });
    expect(await row.getAttribute('data-status')).toBe('processing');
    await playButton.click();
    await page.getByTestId('player').waitFor(); // hls.js is loaded lazily
    // Started from the list under the player: the player comes on screen (and stays there while the sync
    // controls and the conversion strip appear under it).
    const playerOnScreen = () =>
      page.getByTestId('media-player').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.top < innerHeight;
      });
    await eventually(playerOnScreen).toBe(true);
    await controlVideo(page, { play: true });
    // The room may hold the start until the encoder is 12 s ahead, which takes a while on a loaded machine.
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime > 0.5, null, {
      timeout: 90_000,
    });
    // Every jump of the playhead from here on (a room running past the converted part makes players skip).
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="player"]')!;
      const w = window as unknown as { jumps: number[][] };
      w.jumps = [];
      let last = v.currentTime;
      v.addEventListener('timeupdate', () => {
        if (Math.abs(v.currentTime - last) > 5) w.jumps.push([last, v.currentTime]);
        last = v.currentTime;
      });
    });
    const early = await video(page);
    // From the start, not the live edge of the growing EVENT playlist.
    expect(early.currentTime).toBeLessThan(4);
    expect(await row.getAttribute('data-status')).toBe('processing');
    // The full length (from the probe) from the start, the part not converted yet marked.
    const strip = page.getByTestId('conversion-strip');
    expect(await strip.getAttribute('data-duration')).toBe('40');
    expect(Number(await strip.getAttribute('data-converted'))).toBeLessThan(40);
    expect(await page.getByTestId('player-length').textContent()).toContain('of 0:40 ready');
    // The player's seek bar has the full length too, with the part not converted yet marked.
    expect(await page.getByTestId('media-player').getAttribute('data-converting')).not.toBeNull();
    // (Read while the bar may have faded: Vidstack hides it while the pointer rests and the video plays.)
    await eventually(() => page.getByRole('slider', { name: 'Seek', includeHidden: true }).getAttribute('aria-valuetext')).toMatch(
      /out of 40 sec/,
    );
    expect(await playerOnScreen()).toBe(true);
    await screenshot(page, 'early-01-playing-while-processing');

    await row.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 120_000 });
    await eventually(() => strip.count()).toBe(0);
    // Once the playlists end, hls.js knows the real length; playback went on without a jump.
    await eventually(async () => Math.round((await video(page)).duration), 30_000).toBe(40);
    // Still playing, or (where the encoder ran slower than real time and the room waited for it at the
    // converted edge) playing again once the room resumes on "ready" (a start scheduled a moment ahead),
    // or played to the end; either way without skipping any of it.
    await eventually(async () => {
      const v = await video(page);
      return !v.paused || v.ended;
    }, 15_000).toBe(true);
    const later = await video(page);
    expect(later.currentTime).toBeGreaterThan(early.currentTime);
    expect(await page.evaluate(() => (window as unknown as { jumps: number[][] }).jumps)).toEqual([]);
    expect(me.errors.slice(errorsBefore), me.errors.join('\n')).toEqual([]);
  });

  it("shows the storyboard tile under the pointer on the player's seek bar", async () => {
    const { page } = me;
    // Hover where a person would: with the player on screen, the pointer over it (which shows the bar),
    // then on the seek bar.
    const player = page.getByTestId('media-player');
    await player.scrollIntoViewIfNeeded();
    const frame = (await player.boundingBox())!;
    await page.mouse.move(frame.x + frame.width / 2, frame.y + frame.height / 3);
    await page.mouse.move(frame.x + frame.width / 2 + 5, frame.y + frame.height / 3);
    const seek = page.getByRole('slider', { name: 'Seek' });
    await seek.waitFor({ timeout: 20_000 });
    const box = (await seek.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    // Vidstack's slider thumbnail: the sprite, cut to the tile of the time under the pointer.
    const img = page.locator('.vds-time-slider .vds-slider-thumbnail img');
    await eventually(() => img.getAttribute('src')).toContain('/storyboard.jpg');
    await eventually(() => page.locator('.vds-time-slider .vds-slider-value').first().textContent()).toMatch(/^0:(19|20|21)$/);
    await screenshot(page, 'early-02-storyboard-hover');
    // The sprite loads for real (same origin, member cookie).
    const sprite = await page.evaluate(async (url) => (await fetch(url)).headers.get('content-type'), (await img.getAttribute('src'))!);
    expect(sprite).toContain('image/jpeg');
    await page.mouse.move(0, 0);
  });

  it('plays an audio upload with its poster', async () => {
    const { page } = me;
    const media = await upload('song.mp3', 'audio/mpeg', song);
    const row = item(page, 'song.mp3');
    await row.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 120_000 });
    await row.locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    // Vidstack's <Poster> is the <img> itself.
    const poster = page.locator('[data-testid="media-player"] img.vds-poster');
    await eventually(() => poster.getAttribute('src')).toBe(`/media/${media.id}/poster.jpg`);
    await controlVideo(page, { play: true });
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime > 1, null, {
      timeout: 30_000,
    });
    // Still shown while it plays: for audio the poster is the picture.
    expect(await page.locator('[data-testid="media-player"] .vds-poster').evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await screenshot(page, 'early-03-audio-with-poster');
  });
});
