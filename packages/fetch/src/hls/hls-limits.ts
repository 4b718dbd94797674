/** Bounds on what an HLS import may make us parse and fetch. */
export interface HlsLimits {
  /** Largest playlist (master or media) read into memory. */
  maxPlaylistBytes: number;
  /** Most segments in the chosen media playlist (the init segment not counted). */
  maxSegments: number;
  /** Most variants (EXT-X-STREAM-INF) in a master playlist. */
  maxVariants: number;
  /** Picture size ceiling for choosing a variant; the transcoder's own limits apply to the result anyway. */
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
}

export const DEFAULT_HLS_LIMITS: HlsLimits = {
  maxPlaylistBytes: 4 * 1024 * 1024,
  // 11 hours of 2 s segments.
  maxSegments: 20_000,
  maxVariants: 64,
  maxWidth: 4096,
  maxHeight: 4096,
  maxPixels: 4096 * 2160,
};
