import type { LiveStateView } from '@reelroom/contracts';

/** A LiveStateView for specs: an idle room's, with what a test sets. */
export const liveView = (over: Partial<LiveStateView> = {}): LiveStateView => ({
  status: 'idle',
  liveId: null,
  mode: 'standard',
  playbackUrl: null,
  startedAt: null,
  latencyHintSec: 3,
  replayMediaId: null,
  endReason: null,
  ...over,
});
