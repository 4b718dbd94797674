import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type Hls from 'hls.js';
import type { MediaPlayerInstance } from '@vidstack/react';
import { LIVE_LOW_HLS_CONFIG, restoredTarget } from './live-format';
import { distanceDriftMs, DistanceWindow, HOLD_EVERY_MS, holdDistance, rejoins } from './live-latency';

/** HTMLMediaElement.HAVE_FUTURE_DATA: below it the player is waiting for data, and a distance is a stall's. */
const HAVE_FUTURE_DATA = 3;

/** Where a player on its own is: paused, or playing on from where it paused. null: with the room. */
export type OwnPlace = 'paused' | 'watching' | null;

export interface LatencyHold {
  /** This player's drift from the target (ms, positive: nearer the edge; null: none measured), for People. */
  drift: RefObject<number | null>;
  own: OwnPlace;
  /** "Jump to live": the player holds the room's distance again. */
  release(): void;
}

/**
 * A low-latency player's distance from the live edge, held at the room's target (live-latency.ts): every
 * HOLD_EVERY_MS, measures how far behind hls.js's edge estimate the playhead is and corrects the rate (or
 * seeks when far off). The target is hls.js's, which a stall moves back by liveSyncOnStallIncrease; after
 * smooth playback the base is given back (restoredTarget) and the hold closes the gap.
 * A person's own pause (Vidstack's pause request: its button, key or gesture, never a pause of ours or
 * hls.js's) leaves the player where they paused, playing on from there when they press play, until
 * release() ("Jump to live"), or until it plays within REJOIN_MS of the target again by itself. A pause
 * longer than hls.js's liveMaxLatencyDuration loses its place: hls.js moves the paused element to its live
 * sync position (measured: after about 24.5 s paused), and that seek (no one else seeks a paused player on
 * its own: there is no seek bar, and the hold does not) ends "on its own", so play resumes at the room's
 * distance. Vidstack itself
 * seeks a live to its edge on every play unless the person is "behind the live edge" (its state,
 * userBehindLiveEdge, set only by its own seeks, which a live without DVR does not offer): the pause sets
 * it. A low-latency live has no seek bar, so a pause is the only way to step away.
 * `on` false: only the target is given back, and hls.js keeps its own catch-up (bench/live's baseline).
 */
export function useLatencyHold(
  hlsRef: RefObject<Hls | null>,
  video: HTMLVideoElement | null,
  player: MediaPlayerInstance | null,
  lastStallAt: RefObject<number | null>,
  on: boolean,
): LatencyHold {
  const drift = useRef<number | null>(null);
  const [own, setOwn] = useState<OwnPlace>(null);
  // The timer and the listeners read this; the state is for the UI.
  const ownRef = useRef(false);
  const release = useCallback(() => {
    ownRef.current = false;
    setOwn(null);
  }, []);

  useEffect(() => {
    if (!video) return;
    const measures = new DistanceWindow();
    let lastSeekAt = Number.NEGATIVE_INFINITY;
    const place = (): OwnPlace => (video.paused ? 'paused' : 'watching');
    /** The person stepped away: no correction from here, and a correction's rate does not stay. */
    const goOwn = () => {
      ownRef.current = true;
      // Measures from before the step are of the room's place: the rejoin rule must not read them.
      measures.clear();
      if (video.playbackRate !== 1) video.playbackRate = 1;
      setOwn(place());
    };
    const onPauseRequest = () => {
      if (!on) return;
      player?.$state.userBehindLiveEdge.set(true);
      goOwn();
    };
    const onPlayState = () => {
      if (ownRef.current) setOwn(place());
    };
    const onSeeking = () => {
      if (ownRef.current && video.paused) release();
    };
    player?.el?.addEventListener('media-pause-request', onPauseRequest);
    video.addEventListener('play', onPlayState);
    video.addEventListener('pause', onPlayState);
    video.addEventListener('seeking', onSeeking);

    const tick = () => {
      const hls = hlsRef.current;
      const details = hls?.latestLevelDetails;
      if (!hls || !details?.live || hls.media !== video) return;
      const now = Date.now();
      const base = LIVE_LOW_HLS_CONFIG.liveSyncDuration;
      const restored = restoredTarget({ now, lastStallAt: lastStallAt.current, target: hls.targetLatency, base });
      if (restored !== null) hls.targetLatency = restored;
      const target = hls.targetLatency;
      // Paused, seeking or waiting for data: nothing to hold, and measures taken now would be of a stall,
      // not of a place.
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
      if (ownRef.current) {
        if (rejoins(drift.current)) release();
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
        video.currentTime = c.toSec;
        lastSeekAt = now;
        measures.clear();
      }
    };
    const timer = setInterval(tick, HOLD_EVERY_MS);
    return () => {
      clearInterval(timer);
      player?.el?.removeEventListener('media-pause-request', onPauseRequest);
      video.removeEventListener('play', onPlayState);
      video.removeEventListener('pause', onPlayState);
      video.removeEventListener('seeking', onSeeking);
      drift.current = null;
    };
  }, [hlsRef, video, player, lastStallAt, on, release]);
  return { drift, own, release };
}
