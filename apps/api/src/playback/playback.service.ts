import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { playerStatusSchema, type PlaybackStateView } from '@reelroom/contracts';
import { applyCommand, expectedPosition, playbackCommandSchema, type PlaybackCommand, type PlaybackState } from '@reelroom/sync';
import { LOGGER } from '../common/logger.js';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { JOIN_FIRST, RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { PlaybackRepository, type PlaybackRoom } from './playback.repository.js';
import { PlaybackStore } from './playback.store.js';
import { PresenceService } from './presence.service.js';
import { WaitStore } from './wait.store.js';
import {
  canControl,
  computeLeadMs,
  decideWait,
  liveStartLeadMs,
  liveTakesOverRoom,
  systemLine,
  usesLead,
  WAIT_TIMEOUT_MS,
  type WaitState,
} from './playback.policy.js';

/** Where system chat lines go (ChatService.postSystem); optional so playback works without chat. */
export abstract class SystemChat {
  /** `foldKey`: lines with the same key in a burst become one (ChatService.postSystem). */
  abstract postSystem(roomId: string, body: string, foldKey?: string): Promise<unknown>;
}

export interface PlaybackCaller {
  userId: string;
  name: string;
}

export type CommandResult = { ok: true; data: PlaybackStateView } | { ok: false; error: string; state?: PlaybackStateView };

const SYSTEM = { userId: 'system', name: 'Reelroom' };
/** After a wait ends, no new wait for this long (a viewer that keeps stalling must not loop the room). */
const WAIT_COOLDOWN_MS = 5_000;
/** Room options are read at most this often per room on the player-status path (2/s per viewer). */
const ROOM_CACHE_MS = 2_000;

export const toView = (s: PlaybackState): PlaybackStateView => ({ ...s });

/** Switching the room to a live that is not on air (not started yet, ended, or another room's). */
export const NOT_ON_AIR = 'This live is not on air. Switch to it once the room shows LIVE.';
/** Pause, seek or speed for the room while it plays a live (issue 8: those are each person's own). */
export const LIVE_IS_PERSONAL = 'A live plays on for everyone. Pause or rewind it in your own player, then use "Jump to live".';
/** The chat lines of the room following its live by itself (issue 8). */
export const LIVE_TAKES_OVER = 'The host is live: the room switched to the live';
export const REPLAY_READY = 'The live ended. The room switched to its recording: press play to watch it again together';

/**
 * Room playback: validates and applies commands atomically (PlaybackStore), broadcasts `sync:state`,
 * writes the chat line, and runs "wait for everyone" from the members' player reports.
 */
@Injectable()
export class PlaybackService implements OnModuleDestroy {
  private readonly roomCache = new Map<string, { at: number; room: PlaybackRoom | null }>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: PlaybackStore,
    private readonly waits: WaitStore,
    private readonly repo: PlaybackRepository,
    private readonly access: RoomAccessPolicy,
    private readonly presence: PresenceService,
    private readonly broadcast: RoomBroadcaster,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly chat?: SystemChat,
  ) {}

  async getState(roomId: string): Promise<PlaybackStateView> {
    return toView(await this.store.get(roomId));
  }

  private async room(roomId: string): Promise<PlaybackRoom | null> {
    const hit = this.roomCache.get(roomId);
    if (hit && Date.now() - hit.at < ROOM_CACHE_MS) return hit.room;
    const room = await this.repo.room(roomId);
    this.roomCache.set(roomId, { at: Date.now(), room });
    return room;
  }

  async command(caller: PlaybackCaller, roomId: string, payload: unknown): Promise<CommandResult> {
    const parsed = playbackCommandSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, error: 'Invalid playback command.' };
    const cmd = parsed.data;
    const access = await this.access.check(caller.userId, roomId);
    if (access.kind !== 'member') return { ok: false, error: JOIN_FIRST };
    const { room, member } = access;
    this.roomCache.set(roomId, { at: Date.now(), room });
    if (!canControl(member.role, room.controlLocked))
      return { ok: false, error: 'Only the host and moderators can control playback in this room.' };

    let mediaName: string | null = null;
    let durationSec: number | null = null;
    if (cmd.type === 'live') {
      const live = await this.repo.live(roomId);
      if (live?.status !== 'live' || live.streamId !== cmd.liveId) return { ok: false, error: NOT_ON_AIR };
    } else if (cmd.type === 'media') {
      const media = await this.repo.media(cmd.mediaId);
      if (!media || media.roomId !== roomId) return { ok: false, error: 'This video is not in this room.' };
      if (media.status !== 'ready' && !media.playable) return { ok: false, error: 'This video is not ready to play yet.' };
      mediaName = media.originalName;
    } else {
      const current = await this.store.get(roomId);
      if (current.mediaId) durationSec = (await this.repo.media(current.mediaId))?.durationSec ?? null;
    }
    return this.apply(roomId, cmd, caller, { durationSec, mediaName, chat: true });
  }

  /**
   * The room's live went on air (the live queue's doorbell, heard by every API process): a room with
   * nothing to watch goes to it (liveTakesOverRoom), starting at live time 0 a little ahead
   * (liveStartLeadMs) so that everyone plays the same distance behind the edge. Of several processes
   * deciding at once, the conditional system command lets one through.
   */
  async liveOnAir(roomId: string, liveId: string): Promise<CommandResult | null> {
    const [state, live] = await Promise.all([this.store.get(roomId), this.repo.live(roomId)]);
    if (live?.status !== 'live' || live.streamId !== liveId || !liveTakesOverRoom(state, liveId)) return null;
    const leadMs = Math.max(liveStartLeadMs(live.mode), computeLeadMs(await this.presence.rtts(roomId)));
    return this.apply(roomId, { type: 'live', liveId, position: 0, baseSeq: state.seq }, SYSTEM, {
      chat: true,
      line: LIVE_TAKES_OVER,
      leadMs,
    });
  }

  /**
   * The live ended and its recording is a ready media item: a room still on that live moves to the
   * recording, paused at its start, for everyone at once (no reload; a person who was not there gets the
   * same state). Paused, because the room has just watched it: rewatching is the room's choice (press play).
   */
  async liveReplayReady(roomId: string, liveId: string, replayMediaId: string): Promise<CommandResult | null> {
    const state = await this.store.get(roomId);
    if (state.liveId !== liveId) return null;
    return this.apply(roomId, { type: 'media', mediaId: replayMediaId, play: false, baseSeq: state.seq }, SYSTEM, {
      chat: true,
      line: REPLAY_READY,
    });
  }

  /**
   * The room's live came back after its encoder dropped (LiveService.resume). The ingest continues the
   * stream's timestamps, so the live's media has no gap for the drop, while the room's live position ran on
   * through it: moved back by the drop's length, everyone plays the live's distance behind the edge again
   * (else each drop longer than that distance left the room pressed against the edge, stalling at every
   * segment). No chat line: nobody chose this. Only the live the room is on; conditional like any system
   * command.
   */
  async liveResumed(roomId: string, liveId: string, dropMs: number): Promise<CommandResult | null> {
    const state = await this.store.get(roomId);
    if (state.liveId !== liveId || !(dropMs > 0)) return null;
    const position = Math.max(0, expectedPosition(state, Date.now()) - dropMs / 1000);
    return this.apply(roomId, { type: 'live', liveId, position, baseSeq: state.seq }, SYSTEM, { chat: false });
  }

  /** A command from Reelroom itself (holds and waits), with its own chat line; conditional on `baseSeq` as any other. */
  systemCommand(roomId: string, cmd: PlaybackCommand, line: string): Promise<CommandResult> {
    return this.apply(roomId, cmd, SYSTEM, { chat: true, line });
  }

  private async apply(
    roomId: string,
    cmd: PlaybackCommand,
    by: PlaybackCaller,
    opts: { durationSec?: number | null; mediaName?: string | null; chat: boolean; line?: string; leadMs?: number },
  ): Promise<CommandResult> {
    const leadMs = opts.leadMs ?? (usesLead(cmd) ? computeLeadMs(await this.presence.rtts(roomId)) : 0);
    const r = await this.store.update(roomId, (cur) => {
      // Reelroom's own commands (waits, holds) are decided by every API process at once, all as the same
      // "system" sender that applyCommand would let through as one person's quick succession: each
      // applies only to exactly the state it was decided on.
      if (by === SYSTEM && cmd.baseSeq !== cur.seq) return { next: null, result: 'stale' as const };
      const res = applyCommand(cur, cmd, { now: Date.now(), leadMs, by, durationSec: opts.durationSec });
      return res.ok ? { next: res.state, result: null } : { next: null, result: res.reason };
    });
    if (!r.changed) {
      const error =
        r.result === 'stale'
          ? 'Playback changed just before your command; it was dropped.'
          : r.result === 'live'
            ? LIVE_IS_PERSONAL
            : 'Pick a video to play first.';
      return { ok: false, error, state: toView(r.state) };
    }
    const view = toView(r.state);
    this.broadcast.toRoom(roomId, 'sync:state', view);
    if (opts.chat && this.chat) {
      const line = opts.line ?? systemLine(cmd, r.state, by.name, opts.mediaName);
      this.chat
        .postSystem(roomId, line, `playback:${by.userId}`)
        .catch((err: unknown) => this.logger.warn({ err }, 'system chat line failed'));
    }
    return { ok: true, data: view };
  }

  /** A client's clock ping carried its best round trip: it feeds the scheduling lead. */
  async reportRtt(roomIds: Iterable<string>, userId: string, rttMs: unknown): Promise<void> {
    if (typeof rttMs !== 'number' || !Number.isFinite(rttMs) || rttMs < 0 || rttMs > 10_000) return;
    for (const roomId of roomIds) await this.presence.setRtt(roomId, userId, rttMs);
  }

  // ---- Wait for everyone ----------------------------------------------------------------------

  async playerStatus(caller: PlaybackCaller, roomId: string, payload: unknown): Promise<void> {
    const parsed = playerStatusSchema.safeParse(payload);
    if (!parsed.success) return;
    await this.presence.setPlayer(roomId, caller.userId, parsed.data);
    await this.evaluateWait(roomId);
  }

  /** Runs the wait state machine once for the room (on every status report, and at the timeout). */
  async evaluateWait(roomId: string): Promise<void> {
    const room = await this.room(roomId);
    if (!room) return;
    const [state, { wait, coolingDown }, members] = await Promise.all([
      this.store.get(roomId),
      this.waits.current(roomId),
      this.presence.members(roomId),
    ]);
    if (!wait && (!room.waitForEveryone || state.paused)) return; // the common case: nothing to do
    const decision = decideWait({ enabled: room.waitForEveryone, playback: state, wait, members, now: Date.now(), coolingDown });
    switch (decision.action) {
      case 'none':
        return;
      case 'clear':
        await this.waits.end(roomId);
        return;
      case 'pause': {
        const names = decision.waitingFor.map((m) => m.name).join(', ');
        const r = await this.apply(roomId, { type: 'pause', baseSeq: state.seq }, SYSTEM, {
          chat: true,
          line: `Waiting for ${names} to catch up…`,
        });
        if (!r.ok) return;
        const w: WaitState = { since: Date.now(), pausedSeq: r.data.seq, waitingFor: decision.waitingFor.map((m) => m.userId) };
        await this.waits.begin(roomId, w, WAIT_TIMEOUT_MS * 6);
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.evaluateWait(roomId).catch((err: unknown) => this.logger.warn({ err }, 'wait timeout check failed'));
        }, WAIT_TIMEOUT_MS + 50);
        t.unref?.();
        this.timers.add(t);
        return;
      }
      case 'resume': {
        // Of several processes deciding to resume, only the one that ended the wait does it.
        if (!(await this.waits.end(roomId))) return;
        await this.waits.coolDown(roomId, WAIT_COOLDOWN_MS);
        const line = decision.reason === 'timeout' ? 'Stopped waiting; playing on' : 'Everyone is ready: playing';
        await this.apply(roomId, { type: 'play', baseSeq: state.seq }, SYSTEM, { chat: true, line });
        return;
      }
    }
  }

  onModuleDestroy() {
    for (const t of this.timers) clearTimeout(t);
  }
}
