/** Below this percent the pace is mostly start-up cost (probe, ffmpeg and x264 start): no estimate yet. */
export const ETA_MIN_PERCENT = 2;

/**
 * Seconds left at the pace so far: elapsed * (100 - p) / p, whole seconds rounded up; undefined before
 * ETA_MIN_PERCENT or when the numbers make no sense. ffmpeg's speed is steady for a given file, so the
 * linear estimate is good after the first few percent (what PeerTube users asked for: #2946).
 */
export function estimateEtaSec(elapsedMs: number, percent: number): number | undefined {
  if (!(percent >= ETA_MIN_PERCENT) || !(elapsedMs >= 0)) return undefined;
  if (percent >= 100) return 0;
  return Math.max(0, Math.ceil(((elapsedMs / 1000) * (100 - percent)) / percent));
}
