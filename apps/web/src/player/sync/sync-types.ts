import type { PlaybackStateView, PlayerStatus } from '@reelroom/contracts';
import type { PlaybackCommand } from '@reelroom/sync';

/** What the sync engine needs from the socket (room-sync.ts wires it to the socket wrapper). */
export interface SyncTransport {
  /** time:ping; rejects when offline or unanswered. `rttMs`: our best round trip so far, for the server's lead. */
  ping(t0: number, rttMs: number | null): Promise<{ t0: number; serverTime: number }>;
  /** sync:command; always answers, a refusal or a failure as `ok: false`. */
  command(cmd: PlaybackCommand): Promise<{ ok: true; data: PlaybackStateView } | { ok: false; error: string }>;
  /** player:status, fire and forget. */
  status(s: PlayerStatus): void;
}

/** For tests, the benchmark and devtools only (window.__reelroom.sync): the app never reads these. */
export interface SyncDebug {
  driftMs: number;
  rateChanges: number;
  seeks: number;
  offsetMs: number;
  rttMs: number;
  /** The room state this page follows (tests compute the room position from it, independently of the engine). */
  room: PlaybackStateView | null;
}

export const newSyncDebug = (): SyncDebug => ({ driftMs: 0, rateChanges: 0, seeks: 0, offsetMs: 0, rttMs: 0, room: null });
