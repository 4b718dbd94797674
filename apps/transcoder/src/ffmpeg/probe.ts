import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import type { MediaInfo } from './media-info.js';
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
 * Large probesize/analyzeduration so interleaved or late-starting streams are still found.
 */
export function buildProbeArgs(sourcePath: string): string[] {
  if (!isAbsolute(sourcePath)) throw new Error(`probe needs an absolute path, got ${sourcePath}`);
  return [
    '-v', 'error',
    '-protocol_whitelist', 'file',
    '-probesize', '50M',
    '-analyzeduration', '100M',
    '-show_format',
    '-show_streams',
    '-print_format', 'json',
    `file:${sourcePath}`,
  ];
}

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
        const reason = lastLine(String(err));
        reject(new MediaRejectedError(`This file is not a video we can read${reason ? ` (${reason})` : ''}.`));
      },
    );
  });
  return parseProbeOutput(stdout);
}

/** ffprobe's last stderr line without the file path, e.g. "Invalid data found when processing input". */
function lastLine(stderr: string): string {
  const line = stderr.trim().split('\n').pop() ?? '';
  const cleaned = line.replace(/^file:\S*:\s*/, '').replace(/^\[[^\]]*\]\s*/, '').trim();
  return cleaned.slice(0, 200);
}
