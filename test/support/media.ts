import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClipOptions {
  seconds: number;
  width: number;
  height: number;
  /** Default 30. */
  fps?: number;
  /** Default true: a 440 Hz sine as AAC. */
  audio?: boolean;
  /** Default: a fresh directory under os.tmpdir(). */
  dir?: string;
  /** Default clip.mp4 */
  name?: string;
}

// Looked up in PATH like the transcoder does (and like `npm test`'s provisioning checks for them).
export const FFMPEG_PATH = process.env.FFMPEG_PATH ?? 'ffmpeg';
export const FFPROBE_PATH = process.env.FFPROBE_PATH ?? 'ffprobe';

/**
 * Generates an H.264/AAC mp4 test clip with lavfi (testsrc2 + sine), so tests never commit media.
 * ultrafast keeps generation well under a second for short clips.
 */
export async function makeClip(opts: ClipOptions): Promise<string> {
  const fps = opts.fps ?? 30;
  const audio = opts.audio ?? true;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'reelroom-clip-')));
  const out = join(dir, opts.name ?? 'clip.mp4');
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  args.push('-f', 'lavfi', '-i', `testsrc2=size=${opts.width}x${opts.height}:rate=${fps}`);
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  args.push('-t', String(opts.seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push('-movflags', '+faststart', out);
  await run(FFMPEG_PATH, args);
  return out;
}

/**
 * Cuts a clip into a VOD HLS stream (MPEG-TS segments of about 1 s, `index.m3u8` beside them) without
 * re-encoding: what an import by link of an .m3u8 fetches. Returns the folder.
 */
export async function makeHls(clip: string, dir?: string): Promise<string> {
  const out = dir ?? (await mkdtemp(join(tmpdir(), 'reelroom-hls-')));
  await run(FFMPEG_PATH, [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', clip, '-c', 'copy'],
    ...['-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', '-hls_segment_filename', join(out, 'seg%03d.ts')],
    join(out, 'index.m3u8'),
  ]);
  return out;
}
