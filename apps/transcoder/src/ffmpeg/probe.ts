import { execFile } from 'node:child_process';
import type { MediaInfo } from './media-info.js';
import { hardenedInput, PROBE_MAX_STREAMS, redactUrls } from './hardened-input.js';
import { MediaRejectedError } from './media-rejected.error.js';
import { parseProbeOutput } from './probe-parser.js';

export interface ProbeOptions {
  ffprobePath: string;
  /** Absolute, server-generated path, or a URL our storage signed (hardenedInput). */
  sourcePath: string;
  timeoutMs: number;
}

/** ffprobe argv: JSON format and streams of the file, opened through hardenedInput (no forced demuxer, probe bounds). */
export function buildProbeArgs(sourcePath: string): string[] {
  return [
    '-v',
    'error',
    '-show_format',
    '-show_streams',
    '-print_format',
    'json',
    ...hardenedInput({ path: sourcePath, probeBounds: true }),
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
        reject(new MediaRejectedError(probeFailureMessage(redactUrls(String(err)))));
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
  const cleaned = line
    .replace(/^(file|https?):\S*:\s*/, '')
    .replace(/^\[[^\]]*\]\s*/, '')
    .trim();
  return cleaned.slice(0, 200);
}
