import { LIVE_SEGMENT_SECONDS, liveLatencyHintSec, type LiveMode, type RoomRole } from '@reelroom/contracts';
import type { PlaybackCommand, PlaybackState } from '@reelroom/sync';

/**
 * The pure rules of room playback on the server: who may control, how far ahead to schedule, what the
 * chat says, and the "wait for everyone" state machine. No I/O: PlaybackService feeds them.
 */

/** Everyone may control unless the host locked control; then host and moderators only. Non-members never. */
export function canControl(role: RoomRole | null, controlLocked: boolean): boolean {
  if (!role) return false;
  return !controlLocked || role === 'host' || role === 'moderator';
}

export const MIN_LEAD_MS = 300;
export const MAX_LEAD_MS = 1000;

/**
 * How far ahead play and seek are scheduled: long enough for the slowest member to receive the
 * command (2 x its round trip, as Jellyfin's max(2 x highestPing, 500 ms)) but never less than 300 ms
 * (the element needs that to start) and never more than 1 s (a button must feel responsive).
 */
export function computeLeadMs(memberRttsMs: ReadonlyArray<number | null | undefined>): number {
  const known = memberRttsMs.filter((r): r is number => typeof r === 'number' && Number.isFinite(r) && r >= 0);
  const highest = known.length ? Math.max(...known) : 0;
  return Math.round(Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, 2 * highest)));
}

/**
 * Whether applyCommand schedules this command ahead (play, seek, a new video that starts playing): only
 * then is the lead needed, and reading every member's round trip (O(room size)) is worth it.
 */
export const usesLead = (cmd: PlaybackCommand): boolean =>
  cmd.type === 'play' || cmd.type === 'seek' || (cmd.type === 'media' && cmd.play === true);

/**
 * Whether a live that just went on air takes over the room by itself (issue 8): only a room with nothing
 * to watch, that is no video chosen, or one chosen but never started (paused at 0: the replay of an
 * earlier live, a video picked for later), or an earlier live. A video paused midway stays: its place
 * would be lost, and the host switches with one click.
 */
export function liveTakesOverRoom(state: PlaybackState, liveId: string): boolean {
  if (state.liveId) return state.liveId !== liveId;
  return !state.mediaId || (state.paused && state.position === 0);
}

/**
 * The room's start on a live that just went on air: at live time 0, this long from now. The playlist
 * then holds about one segment (the transcoder says `live` at its first), so everyone starts about the
 * mode's latency hint behind the edge, where hls.js itself would sit, instead of one segment behind it,
 * where every late segment is a stall.
 */
export const liveStartLeadMs = (mode: LiveMode): number => Math.max(MIN_LEAD_MS, (liveLatencyHintSec(mode) - LIVE_SEGMENT_SECONDS) * 1000);

/** 12:03, 1:02:03. */
export function formatClock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const formatRate = (r: number) => `${Number(r.toFixed(2))}x`;

/** The chat line for an applied command ("Ana paused at 12:03"). */
export function systemLine(cmd: PlaybackCommand, next: PlaybackState, name: string, mediaName?: string | null): string {
  switch (cmd.type) {
    case 'play':
      return `${name} pressed play at ${formatClock(next.position)}`;
    case 'pause':
      return `${name} paused at ${formatClock(next.position)}`;
    case 'seek':
      return `${name} jumped to ${formatClock(next.position)}`;
    case 'rate':
      return `${name} set the speed to ${formatRate(next.rate)}`;
    case 'media':
      return `${name} started ${mediaName ?? 'a video'}`;
    case 'live':
      return `${name} switched the room to the live`;
  }
}

// ---- Wait for everyone -------------------------------------------------------------------------

export const WAIT_TIMEOUT_MS = 10_000;

/** Kept in Redis while the room is paused because someone stalls. */
export interface WaitState {
  /** Server time of the system pause. */
  since: number;
  /** The seq of that pause: if the state moved on (someone pressed play), the wait is over. */
  pausedSeq: number;
  /** Who was stalling when the room paused (for the chat line). */
  waitingFor: string[];
}

export interface WaitMember {
  userId: string;
  name: string;
  connections: number;
  player: { state: string; noWait: boolean } | null;
}

export interface WaitInput {
  enabled: boolean;
  playback: Pick<PlaybackState, 'paused' | 'seq' | 'mediaId'>;
  wait: WaitState | null;
  members: ReadonlyArray<WaitMember>;
  now: number;
  /** True shortly after a wait ended: no new pause yet (a viewer that keeps stalling must not loop the room). */
  coolingDown?: boolean;
  timeoutMs?: number;
}

export type WaitDecision =
  | { action: 'none' }
  | { action: 'pause'; waitingFor: WaitMember[] }
  | { action: 'resume'; reason: 'ready' | 'timeout' | 'disabled' }
  | { action: 'clear' };

/** Connected members whose stall should hold the room (not those who said "don't wait for me"). */
export const stalledMembers = (members: ReadonlyArray<WaitMember>): WaitMember[] =>
  members.filter((m) => m.connections > 0 && m.player !== null && !m.player.noWait && m.player.state === 'buffering');

export function decideWait(i: WaitInput): WaitDecision {
  const stalled = stalledMembers(i.members);
  if (!i.wait) {
    if (i.enabled && !i.coolingDown && !i.playback.paused && i.playback.mediaId && stalled.length > 0) {
      return { action: 'pause', waitingFor: stalled };
    }
    return { action: 'none' };
  }
  // Someone else changed playback since our pause (pressed play, seeked, changed media): their call.
  if (i.playback.seq !== i.wait.pausedSeq || !i.playback.paused) return { action: 'clear' };
  if (!i.enabled) return { action: 'resume', reason: 'disabled' };
  if (i.now - i.wait.since >= (i.timeoutMs ?? WAIT_TIMEOUT_MS)) return { action: 'resume', reason: 'timeout' };
  if (stalled.length === 0) return { action: 'resume', reason: 'ready' };
  return { action: 'none' };
}
