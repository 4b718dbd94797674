import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type Hls from 'hls.js';
import { LIVE_LOW_HLS_CONFIG, restoredTarget } from './live-format';
import { distanceDriftMs, DistanceWindow, HOLD_EVERY_MS, holdDistance, rejoins, seekHolds } from './live-latency';

/** HTMLMediaElement.HAVE_FUTURE_DATA: below it the player is waiting for data, and a distance is a stall's. */
const HAVE_FUTURE_DATA = 3;

export interface LatencyHold {
  /** This player's drift from the target (ms, positive: nearer the edge; null: none measured), for People. */
  drift: RefObject<number | null>;
  /** The person scrubbed back: the player plays on from there until release(). */
  held: boolean;
  /** "Jump to live": the player holds the room's distance again. */
  release(): void;
}

/**
 * A low-latency player's distance from the live edge, held at the room's target (live-latency.ts): every
 * HOLD_EVERY_MS, measures how far behind hls.js's edge estimate the playhead is and corrects the rate (or
 * seeks when far off). The target is hls.js's, which a stall moves back by liveSyncOnStallIncrease; after
 * smooth playback the base is given back (restoredTarget) and the hold closes the gap. A scrub back is the
 * person's own (seekHolds): no correction until release(), or until the player plays at the target again
 * by itself (rejoins). A pause is not: Vidstack seeks a live to its edge on every play (unless the person
 * scrubbed away), so play after a pause is back at the room's distance anyway.
 * `on` false: only the target is given back, and hls.js keeps its own catch-up (bench/live's baseline).
 */
export function useLatencyHold(
  hlsRef: RefObject<Hls | null>,
  video: HTMLVideoElement | null,
  lastStallAt: RefObject<number | null>,
  on: boolean,
): LatencyHold {
  const drift = useRef<number | null>(null);
  const [held, setHeld] = useState(false);
  // The timer and the element's listeners read this; the state is for the UI.
  const heldRef = useRef(false);
  const hold = useCallback((h: boolean) => {
    heldRef.current = h;
    setHeld(h);
  }, []);
  const release = useCallback(() => hold(false), [hold]);

  useEffect(() => {
    if (!video) return;
    const measures = new DistanceWindow();
    let lastSeekAt = Number.NEGATIVE_INFINITY;
    /** Set while the hold's own seek is under way: it is not the person's. */
    let ownSeek = false;
    /** The person's own step: the player plays on from there at 1x (a correction's rate does not stay). */
    const holdHere = () => {
      hold(true);
      if (video.playbackRate !== 1) video.playbackRate = 1;
    };
    /** Seeks before the first frame plays are hls.js's own start (it may begin at the playlist's first part). */
    let started = false;
    const onPlaying = () => {
      started = true;
    };
    const onSeeked = () => {
      if (ownSeek || !started) {
        ownSeek = false;
        return;
      }
      const hls = hlsRef.current;
      const details = hls?.latestLevelDetails;
      if (!on || !hls || !details?.live || hls.targetLatency === null) return;
      if (seekHolds(details.edge + details.age - video.currentTime, hls.targetLatency)) holdHere();
    };
    video.addEventListener('seeked', onSeeked);
    video.addEventListener('playing', onPlaying);

    const tick = () => {
      const hls = hlsRef.current;
      const details = hls?.latestLevelDetails;
      if (!hls || !details?.live || hls.media !== video) return;
      const now = Date.now();
      const base = LIVE_LOW_HLS_CONFIG.liveSyncDuration;
      const restored = restoredTarget({ now, lastStallAt: lastStallAt.current, target: hls.targetLatency, base });
      if (restored !== null) hls.targetLatency = restored;
      const target = hls.targetLatency;
      // Paused, seeking or waiting for data: nothing to hold, and measures taken now would be of a
      // stall, not of a place.
      if (target === null || video.paused || video.seeking || video.readyState < HAVE_FUTURE_DATA) {
        measures.clear();
        drift.current = null;
        return;
      }
      measures.add(details.edge + details.age - video.currentTime);
      const distance = measures.median;
      if (distance === null) return;
      drift.current = distanceDriftMs(distance, target);
      if (!on) return;
      if (heldRef.current) {
        if (rejoins(drift.current)) hold(false);
        return;
      }
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
        ownSeek = true;
        video.currentTime = c.toSec;
        lastSeekAt = now;
        measures.clear();
      }
    };
    const timer = setInterval(tick, HOLD_EVERY_MS);
    return () => {
      clearInterval(timer);
      video.removeEventListener('seeked', onSeeked);
      video.removeEventListener('playing', onPlaying);
      drift.current = null;
    };
  }, [hlsRef, video, lastStallAt, on, hold]);
  return { drift, held, release };
}
