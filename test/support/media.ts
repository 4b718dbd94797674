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

/**
 * An MKV with a video and two audio streams (issue 12): 440 Hz tagged eng "English" (the default track) and
 * 880 Hz tagged fra "Commentary", so a test can tell the renditions apart by their pitch.
 */
export async function makeTwoAudioClip(opts: {
  seconds: number;
  dir?: string;
  width?: number;
  height?: number;
  fps?: number;
}): Promise<string> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'reelroom-clip-')));
  const out = join(dir, 'two-audio.mkv');
  await run(FFMPEG_PATH, [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${opts.width ?? 320}x${opts.height ?? 240}:rate=${opts.fps ?? 25}`],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=880:sample_rate=48000'],
    ...['-map', '0:v', '-map', '1:a', '-map', '2:a', '-t', String(opts.seconds)],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k'],
    ...['-metadata:s:a:0', 'language=eng', '-metadata:s:a:0', 'title=English'],
    ...['-metadata:s:a:1', 'language=fra', '-metadata:s:a:1', 'title=Commentary'],
    ...['-disposition:a:0', 'default', '-disposition:a:1', '0'],
    out,
  ]);
  return out;
}

/**
 * The dominant frequency of an audio file's first channel, from its zero crossings (a pure tone crosses
 * zero twice per period): enough to tell a 440 Hz track from an 880 Hz one without an FFT.
 */
export async function toneFrequency(path: string): Promise<number> {
  const { stdout } = await run(
    FFMPEG_PATH,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', path, '-map', '0:a:0', '-ac', '1', '-ar', '48000', '-f', 's16le', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  const samples = new Int16Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 2));
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 !== samples[i] < 0) crossings++;
  return crossings / 2 / (samples.length / 48000);
}
