import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import type { MediaInfo } from './media-info.js';
import { PROBE_FORMAT_WHITELIST } from './media-limits.js';
import { MediaRejectedError } from './media-rejected.error.js';
import { parseProbeOutput } from './probe-parser.js';

export interface ProbeOptions {
  ffprobePath: string;
  /** Absolute, server-generated path. */
  sourcePath: string;
  timeoutMs: number;
}

/**
 * ffprobe argv. The input is passed as `file:<absolute path>` so a name such as `concat:a|b`, `-i` or
 * `http://...` can never be read as a protocol or an option, and `-protocol_whitelist file` stops a
 * playlist-like file (HLS, ffconcat) from making the demuxer open other URLs
 * (https://ffmpeg.org/ffmpeg-protocols.html#Protocol-Options; the CVE-2017-9993 / "HLS SSRF" class of bug).
 * `-format_whitelist` refuses every demuxer outside our allow-list before it opens anything, so the hls,
 * concat, dash, image2 or tty demuxers never run even if a file gets past the API's byte sniffer
 * ("Format not on whitelist"). The mov demuxer's external references stay off: `-enable_drefs 0` and
 * `-use_absolute_path 0` are ffmpeg 5.1's defaults, stated so a different build cannot turn them on
 * (ffmpeg -h demuxer=mov). Probing is bounded (50 MB read, 100 s analysed, 64 streams) so a file cannot
 * make ffprobe read or allocate without end; the wall-clock timeout kills it regardless.
 */
export function buildProbeArgs(sourcePath: string): string[] {
  if (!isAbsolute(sourcePath)) throw new Error(`probe needs an absolute path, got ${sourcePath}`);
  return [
    '-v', 'error',
    '-protocol_whitelist', 'file',
    '-format_whitelist', PROBE_FORMAT_WHITELIST,
    '-enable_drefs', '0',
    '-use_absolute_path', '0',
    '-probesize', '50M',
    '-analyzeduration', '100M',
    '-max_streams', String(PROBE_MAX_STREAMS),
    '-show_format',
    '-show_streams',
    '-print_format', 'json',
    `file:${sourcePath}`,
  ];
}

/** ffprobe gives up above this many streams ("Too many streams"); the stream-count limit is lower. */
export const PROBE_MAX_STREAMS = 64;

/** Runs ffprobe (argument array, no shell, killed on timeout) and returns our MediaInfo. */
export async function probeMedia(opts: ProbeOptions): Promise<MediaInfo> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      opts.ffprobePath,
      buildProbeArgs(opts.sourcePath),
      { timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024, windowsHide: true },
      (error, out, err) => {
        if (!error) return resolve(out);
        const e = error as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT') return reject(new Error(`ffprobe not found at ${opts.ffprobePath}`));
        if (e.killed) {
          return reject(new MediaRejectedError('This file is not a video we can read (reading it took too long).'));
        }
        reject(new MediaRejectedError(probeFailureMessage(String(err))));
      },
    );
  });
  return parseProbeOutput(stdout);
}

/**
 * A sentence for a file ffprobe could not open. Known causes get words a person understands; anything
 * else quotes ffprobe's last line without the path.
 */
export function probeFailureMessage(stderr: string): string {
  if (/moov atom not found/.test(stderr)) {
    return 'This file is not a video we can read (it is incomplete: its index is missing, so the upload or export was probably cut short). Export it again and re-upload.';
  }
  if (/Format not on whitelist/.test(stderr)) {
    return 'This file is not a video we can read (its format is not supported). Upload an MP4, MOV, MKV, WebM, AVI or similar video file.';
  }
  if (/exceeds max_streams/.test(stderr)) {
    return `This file has more than ${PROBE_MAX_STREAMS} streams (video, audio and subtitle tracks). Remove extra tracks and try again.`;
  }
  const reason = lastLine(stderr);
  return `This file is not a video we can read${reason ? ` (${reason})` : ''}.`;
}

/** ffprobe's last stderr line without the file path, e.g. "Invalid data found when processing input". */
function lastLine(stderr: string): string {
  const line = stderr.trim().split('\n').pop() ?? '';
  const cleaned = line.replace(/^file:\S*:\s*/, '').replace(/^\[[^\]]*\]\s*/, '').trim();
  return cleaned.slice(0, 200);
}
