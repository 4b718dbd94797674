import { execFile } from 'node:child_process';
import { buildLiveProbeArgs } from '../ffmpeg/live-command.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { parseProbeOutput } from '../ffmpeg/probe-parser.js';

/** Reads a live stream's codecs, size and frame rate (ffprobe on the API's RTMP server). */
export type LiveProbe = (inputUrl: string, timeoutMs: number) => Promise<MediaInfo>;
export const LIVE_PROBE = Symbol('LIVE_PROBE');

/** ffprobe, argument array, killed on timeout. */
export function liveProbe(ffprobePath: string): LiveProbe {
  return (inputUrl, timeoutMs) =>
    new Promise<MediaInfo>((resolve, reject) => {
      execFile(
        ffprobePath,
        buildLiveProbeArgs(inputUrl),
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, windowsHide: true },
        (error, out, err) => {
          if (error) return reject(new Error(`ffprobe: ${String(err).trim().split('\n').pop() ?? error.message}`));
          try {
            resolve(parseProbeOutput(out));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        },
      );
    });
}
