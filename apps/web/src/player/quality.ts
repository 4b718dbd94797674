/** What the quality menu needs to know about one hls.js level. */
export interface QualityLevel {
  index: number;
  height: number;
  width: number;
  bitrate: number;
}

export function formatBitrate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(1)} Mb/s`;
  return `${Math.max(1, Math.round(bitsPerSecond / 1000))} kb/s`;
}

/** "720p (2.9 Mb/s)"; falls back to the bitrate alone when the playlist has no RESOLUTION. */
export function levelLabel(level: QualityLevel): string {
  const rate = formatBitrate(level.bitrate);
  return level.height > 0 ? `${level.height}p (${rate})` : rate;
}
