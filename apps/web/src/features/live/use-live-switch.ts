import { useState } from 'react';
import type { LiveStateView } from '@reelroom/contracts';
import { useRoomPlayback } from '../../player/sync/room-sync';
import { firstVariantUrl, liveEdgeSec, switchPositionSec } from './live-room-core';

export const SWITCH_FAILED = 'Could not read the live stream to switch the room to it. Try again in a moment.';

/**
 * The live's edge (s) now: the first rung's media playlist, summed. The switching page plays a video, not
 * the live, so there is no hls.js to ask; the playlist is one small request.
 */
async function fetchLiveEdgeSec(masterPath: string): Promise<number> {
  const master = await fetch(new URL(masterPath, window.location.href), { cache: 'no-store' });
  if (!master.ok) throw new Error(`master playlist: ${master.status}`);
  const variant = firstVariantUrl(await master.text(), master.url);
  if (!variant) throw new Error('master playlist without variants');
  const media = await fetch(variant, { cache: 'no-store' });
  if (!media.ok) throw new Error(`media playlist: ${media.status}`);
  return liveEdgeSec(await media.text());
}

/**
 * "Watch the live together": the room's `live` command at the live's edge minus the mode's latency hint,
 * so everyone starts where a player of that mode would sit. Going back to a video is the videos list's
 * ordinary media switch. A refusal (control locked, not on air any more) is the room playback's lastError.
 */
export function useLiveSwitch(roomId: string) {
  const playback = useRoomPlayback(roomId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const switchTo = async (live: LiveStateView) => {
    if (!live.liveId || !live.playbackUrl) return;
    setBusy(true);
    setError(null);
    try {
      const edge = await fetchLiveEdgeSec(live.playbackUrl);
      playback.send({ type: 'live', liveId: live.liveId, position: switchPositionSec(edge, live.latencyHintSec) });
    } catch {
      setError(SWITCH_FAILED);
    } finally {
      setBusy(false);
    }
  };
  return { switchTo, busy, error: error ?? playback.lastError, state: playback.state };
}
