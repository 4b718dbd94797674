import type { PlannedVariant } from '../ffmpeg/hls-plan.js';
import type { HlsPublisher } from './hls-publisher.js';

export interface FirstSegmentsWait {
  publisher: Pick<HlsPublisher, 'hasFirstSegment'>;
  variants: readonly PlannedVariant[];
  /** False once the encode has ended (either way): stop waiting. */
  encoding: () => boolean;
  pollMs: number;
}

/**
 * Polls until every variant lists its first segment (true), or the encode ends first (false). ffmpeg
 * gives no event for "segment written", and the files appear within ~2 s of media: polling the output
 * every 100 ms is cheap and exact.
 */
export async function waitForFirstSegments({ publisher, variants, encoding, pollMs }: FirstSegmentsWait): Promise<boolean> {
  const ready = new Set<string>();
  while (encoding()) {
    for (const v of variants) if (!ready.has(v.name) && (await publisher.hasFirstSegment(v))) ready.add(v.name);
    if (ready.size === variants.length) return true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return false;
}
