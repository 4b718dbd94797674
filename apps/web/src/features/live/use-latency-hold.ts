import { useEffect, useRef, type RefObject } from 'react';
import type Hls from 'hls.js';
import { LIVE_LOW_HLS_CONFIG, restoredTarget } from './live-format';
import { distanceDriftMs, DistanceWindow, HOLD_EVERY_MS, holdDistance } from './live-latency';

/** HTMLMediaElement.HAVE_FUTURE_DATA: below it the player is waiting for data, and a distance is a stall's. */
const HAVE_FUTURE_DATA = 3;

/**
 * A low-latency player's distance from the live edge, held at the room's target (live-latency.ts): every
 * HOLD_EVERY_MS, measures how far behind hls.js's edge estimate the playhead is and corrects the rate (or
 * seeks when far off). The target is hls.js's, which a stall moves back by liveSyncOnStallIncrease; after
 * smooth playback the base is given back (restoredTarget) and the hold closes the gap.
 * `on` false: only the target is given back, and hls.js keeps its own catch-up (bench/live's baseline).
 * Returns this player's drift from the target (ms, positive: nearer the edge), for the room's People.
 */
export function useLatencyHold(
  hlsRef: RefObject<Hls | null>,
  video: HTMLVideoElement | null,
  lastStallAt: RefObject<number | null>,
  on: boolean,
): RefObject<number | null> {
  const drift = useRef<number | null>(null);
  useEffect(() => {
    if (!video) return;
    const measures = new DistanceWindow();
    let lastSeekAt = Number.NEGATIVE_INFINITY;
    const tick = () => {
      const hls = hlsRef.current;
      const details = hls?.latestLevelDetails;
      if (!hls || !details?.live || hls.media !== video) return;
      const now = Date.now();
      const base = LIVE_LOW_HLS_CONFIG.liveSyncDuration;
      const restored = restoredTarget({ now, lastStallAt: lastStallAt.current, target: hls.targetLatency, base });
      if (restored !== null) hls.targetLatency = restored;
      const target = hls.targetLatency;
      // Paused (this person's own), seeking or waiting for data: nothing to hold, and measures taken
      // now would be of a stall, not of a place.
      if (!on || target === null || video.paused || video.seeking || video.readyState < HAVE_FUTURE_DATA) {
        measures.clear();
        drift.current = null;
        // A correction's rate does not outlive the hold: play after a pause or a stall starts at 1x.
        if (on && video.playbackRate !== 1) video.playbackRate = 1;
        return;
      }
      measures.add(details.edge + details.age - video.currentTime);
      const distance = measures.median;
      if (distance === null) return;
      drift.current = distanceDriftMs(distance, target);
      const c = holdDistance({
        distanceSec: distance,
        targetSec: target,
        currentTime: video.currentTime,
        currentRate: video.playbackRate,
        now,
        lastSeekAt,
      });
      if (c.action === 'rate') video.playbackRate = c.rate;
      else if (c.action === 'seek') {
        video.currentTime = c.toSec;
        lastSeekAt = now;
        measures.clear();
      }
    };
    const timer = setInterval(tick, HOLD_EVERY_MS);
    return () => {
      clearInterval(timer);
      drift.current = null;
    };
  }, [hlsRef, video, lastStallAt, on]);
  return drift;
}
