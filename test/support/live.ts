import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import type { LiveMode } from '@reelroom/contracts';
import { eventually, signUp } from './browser.js';
import { FFMPEG_PATH } from './media.js';

/**
 * The host's part in a room page before going live, as a person does it: "Go live" (ticking "Low latency"
 * for LL-HLS), "Get a stream key", then the two values OBS wants. Returns them with the publish URL
 * (`<server>/<key>`).
 */
export async function streamKeyFromPanel(
  page: Page,
  { mode = 'standard' }: { mode?: LiveMode } = {},
): Promise<{ server: string; key: string; url: string; whipUrl: string | null }> {
  await page.getByRole('button', { name: 'Go live' }).click();
  if (mode === 'low') await page.getByLabel(/Low latency/).check();
  await page.getByRole('button', { name: 'Get a stream key' }).click();
  await eventually(() => page.getByTestId('stream-key').textContent()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const server = (await page.getByTestId('rtmp-url').textContent()) ?? '';
  const key = (await page.getByTestId('stream-key').textContent()) ?? '';
  const whip = page.getByTestId('whip-url');
  const whipUrl = (await whip.count()) > 0 ? await whip.textContent() : null;
  return { server, key, url: `${server}/${key}`, whipUrl };
}

/** An RTMP publisher like OBS: ffmpeg sends a test picture (720p30 unless `size` says) and a tone at real time. */
export interface Publisher {
  process: ChildProcess;
  /** Resolves with ffmpeg's exit code. */
  exited: Promise<number | null>;
  /** ffmpeg's stderr so far (errors only). */
  stderr(): string;
  /** A clean unpublish, as OBS's Stop Streaming: ffmpeg's `q` finishes the stream and closes it. */
  stop(): Promise<number | null>;
}

/**
 * `size`: the test picture's size. 1280x720 gives the full three-rung ladder; a small one (640x360: one
 * rung) keeps a loaded 2-core box in real time where the test is about playback, not the ladder.
 */
export function publish(
  url: string,
  { seconds = 120, size = '1280x720' }: { seconds?: number; size?: `${number}x${number}` } = {},
): Publisher {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=30`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    // ultrafast: the publisher shares the 2-core box with the ladder and the browsers; what it sends is
    // decoded and encoded again by the ladder, whatever preset made it.
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    // OBS's recommended 2 s keyframe interval; the live ladder forces its own keyframes anyway.
    '-g',
    '60',
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    '2500k',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-f',
    'flv',
    url,
  ];
  const child = spawn(FFMPEG_PATH, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    stderr: () => err,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.stdin?.end('q');
      return exited;
    },
  };
}

/**
 * The host's side of going live in the room page: sign up, create a room, open Go live (ticking "Low
 * latency" for LL-HLS) and get a stream key. Returns the room's address and what OBS would be given.
 */
export async function hostGetsStreamKey(
  page: Page,
  baseUrl: string,
  who: { email: string; displayName: string; password: string },
  { mode = 'standard' }: { mode?: LiveMode } = {},
): Promise<{ roomUrl: string; rtmpUrl: string; streamKey: string; whipUrl: string | null }> {
  await page.goto(`${baseUrl}/register`);
  await signUp(page, who);
  await page.getByLabel('Room name').fill('Live night');
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  const roomUrl = page.url();
  const { server, key, whipUrl } = await streamKeyFromPanel(page, { mode });
  return { roomUrl, rtmpUrl: server, streamKey: key, whipUrl };
}

/** A viewer signs up from the room's link and waits until the room's live state is connected. */
export async function viewerOpensRoom(page: Page, roomUrl: string, who: { email: string; displayName: string; password: string }) {
  await page.goto(`${new URL(roomUrl).origin}/register?next=${encodeURIComponent(new URL(roomUrl).pathname)}`);
  await signUp(page, who);
  await page.goto(roomUrl);
  await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
}
