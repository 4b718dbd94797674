import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { eventually } from './wait.js';
import { FFMPEG_PATH } from './media.js';

/**
 * The host's part in a room page before going live, as a person does it: "Go live", "Get a stream key",
 * then the two values OBS wants. Returns them with the publish URL (`<server>/<key>`).
 */
export async function streamKeyFromPanel(page: Page): Promise<{ server: string; key: string; url: string }> {
  await page.getByRole('button', { name: 'Go live' }).click();
  await page.getByRole('button', { name: 'Get a stream key' }).click();
  await eventually(() => page.getByTestId('stream-key').textContent()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const server = (await page.getByTestId('rtmp-url').textContent()) ?? '';
  const key = (await page.getByTestId('stream-key').textContent()) ?? '';
  return { server, key, url: `${server}/${key}` };
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
    '-preset',
    'veryfast',
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
