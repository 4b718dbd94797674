import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type Hls from 'hls.js';
import type { MediaPlayerInstance } from '@vidstack/react';
import { LIVE_LOW_HLS_CONFIG, restoredTarget } from './live-format';
import { atLiveEdge, distanceDriftMs, DistanceWindow, HOLD_EVERY_MS, holdDistance, rejoins } from './live-latency';

/** HTMLMediaElement.HAVE_FUTURE_DATA: below it the player is waiting for data, and a distance is a stall's. */
const HAVE_FUTURE_DATA = 3;
/** The element's `seeking` this soon after a person's seek request is that seek (Vidstack sets the time at once). */
const PERSON_SEEK_MS = 1_000;

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
 * A person's own pause or seek (Vidstack's pause and seek requests: its button, keys or gestures,
 * never a pause or seek of ours or hls.js's) leaves the player where they put it, playing on from
 * there, until release() ("Jump to live", or a seek to the live edge), or until it plays within REJOIN_MS
 * of the target again by itself. A pause longer than hls.js's liveMaxLatencyDuration loses its place:
 * hls.js moves the paused element to its live sync position (when the place is that far behind the edge:
 * nearly the playlist's five minutes; it was measured at 24.5 s with the old 30 s window), and
 * that seek (no one else seeks a paused player on its own: the hold does not, and the person's own seeks
 * are known by their request) ends "on its own", so play resumes at the room's distance. Vidstack itself
 * seeks a live to its edge on play unless the person is "behind the live edge" (its state,
 * userBehindLiveEdge): a step away sets it, a release clears it.
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
    player?.$state.userBehindLiveEdge.set(false);
    setOwn(null);
  }, [player]);

  useEffect(() => {
    if (!video) return;
    const measures = new DistanceWindow();
    let lastSeekAt = Number.NEGATIVE_INFINITY;
    /** When the person last asked for a seek: the element's `seeking` right after it is theirs. */
    let personSeekAt = Number.NEGATIVE_INFINITY;
    const place = (): OwnPlace => (video.paused ? 'paused' : 'watching');
    /** The person stepped away: no correction from here, and a correction's rate does not stay. */
    const goOwn = () => {
      ownRef.current = true;
      player?.$state.userBehindLiveEdge.set(true);
      // Measures from before the step are of the room's place: the rejoin rule must not read them.
      measures.clear();
      if (video.playbackRate !== 1) video.playbackRate = 1;
      setOwn(place());
    };
    const onPauseRequest = () => {
      if (on) goOwn();
    };
    // A seek to the live edge (as Vidstack judges it: within LIVE_EDGE_SEEK_SEC of hls.js's live sync
    // position) is back with the room; any other is a step away. A request Vidstack refuses (no seeking yet:
    // a live younger than its window) moves nothing and changes nothing.
    const onSeekRequest = (e: Event) => {
      if (!on || !player?.$state.canSeek()) return;
      personSeekAt = Date.now();
      const edge = hlsRef.current?.liveSyncPosition ?? null;
      if (atLiveEdge((e as CustomEvent<number>).detail, edge)) release();
      else goOwn();
    };
    const onPlayState = () => {
      if (ownRef.current) setOwn(place());
    };
    const onSeeking = () => {
      if (ownRef.current && video.paused && Date.now() - personSeekAt > PERSON_SEEK_MS) release();
    };
    player?.el?.addEventListener('media-pause-request', onPauseRequest);
    player?.el?.addEventListener('media-seek-request', onSeekRequest);
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
      player?.el?.removeEventListener('media-seek-request', onSeekRequest);
      video.removeEventListener('play', onPlayState);
      video.removeEventListener('pause', onPlayState);
      video.removeEventListener('seeking', onSeeking);
      drift.current = null;
    };
  }, [hlsRef, video, player, lastStallAt, on, release]);
  return { drift, own, release };
}
