import { spawn, type ChildProcess } from 'node:child_process';
import { FFMPEG_PATH } from './media.js';

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
