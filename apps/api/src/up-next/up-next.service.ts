import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, OnModuleDestroy, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { QUEUE_MAX_ITEMS, type QueueView } from '@reelroom/contracts';
import type { PlaybackState } from '@reelroom/sync';
import { LOGGER } from '../common/logger.js';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { canControl } from '../playback/playback.policy.js';
import { PlaybackService, SystemChat } from '../playback/playback.service.js';
import { PresenceService } from '../playback/presence.service.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { SkipVoteStore } from './skip-vote.store.js';
import { UpNextRepository } from './up-next.repository.js';
import {
  canManageQueue,
  endsAt,
  hasEnded,
  MEDIA_FAILED,
  NO_SUCH_ITEM,
  NOT_IN_ROOM,
  PLAYING_CHANGED,
  QUEUE_EMPTY,
  QUEUE_FULL,
  QUEUE_MANAGERS_ONLY,
  SKIP_NOT_ALLOWED,
  votesNeeded,
  VOTES_OFF,
} from './up-next.policy.js';

export interface QueueCaller {
  userId: string;
  name: string;
}

/** A media's duration is read at most this often (the end check runs on every player report). */
const DURATION_CACHE_MS = 30_000;
/** End timers further away than this are not set (a later report or command sets a nearer one). */
const MAX_TIMER_MS = 6 * 3600 * 1000;
/** Retries of the advance's playback command when someone else changed playback in between. */
const ADVANCE_TRIES = 3;

type AdvanceResult = { kind: 'advanced'; name: string } | { kind: 'empty' } | { kind: 'changed' };

/**
 * The room's "Up next": add, move and remove (host and moderators, or everyone when the room's queue is
 * open), skip (whoever controls playback), skip votes (a majority of the people present), and the advance
 * when the playing item ends. The end is decided on the server from the room's playback state and the
 * media's duration (a client's "ended" is only the occasion to look), checked on every player report and
 * by a timer at the expected end. Every advance first claims the queue's generation (SkipVoteStore), so
 * that of several processes or votes only one moves the queue on, then starts the item through
 * PlaybackService as a system command conditional on the state it was decided on.
 */
@Injectable()
export class UpNextService implements OnModuleDestroy {
  private readonly durations = new Map<string, { at: number; sec: number | null }>();
  private readonly endTimers = new Map<string, { seq: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly repo: UpNextRepository,
    private readonly votes: SkipVoteStore,
    private readonly playback: PlaybackService,
    private readonly presence: PresenceService,
    private readonly access: RoomAccessPolicy,
    private readonly broadcast: RoomBroadcaster,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly chat?: SystemChat,
  ) {}

  async get(caller: QueueCaller, roomId: string): Promise<QueueView> {
    await this.access.require(caller.userId, roomId, 'see');
    return this.view(roomId);
  }

  async add(caller: QueueCaller, roomId: string, mediaId: string): Promise<QueueView> {
    await this.requireManager(caller, roomId);
    const media = await this.repo.mediaInRoom(roomId, mediaId);
    if (!media) throw new NotFoundException(NOT_IN_ROOM);
    if (media.status === 'failed') throw new ConflictException(MEDIA_FAILED);
    const r = await this.repo.add(roomId, mediaId, caller.userId, QUEUE_MAX_ITEMS);
    if (r.kind === 'full') throw new ConflictException(QUEUE_FULL);
    this.line(roomId, `${caller.name} added ${media.originalName} to Up next`, `queue:${caller.userId}`);
    return this.publish(roomId);
  }

  async move(caller: QueueCaller, roomId: string, itemId: string, index: number): Promise<QueueView> {
    await this.requireManager(caller, roomId);
    const item = await this.repo.item(roomId, itemId);
    if (!item || !(await this.repo.move(roomId, itemId, index))) throw new NotFoundException(NO_SUCH_ITEM);
    this.line(roomId, `${caller.name} moved ${item.name} to #${index + 1} in Up next`, `queue:${caller.userId}`);
    return this.publish(roomId);
  }

  async remove(caller: QueueCaller, roomId: string, itemId: string): Promise<QueueView> {
    const { room, role } = await this.access.require(caller.userId, roomId, 'take-part');
    const item = await this.repo.item(roomId, itemId);
    if (!item) throw new NotFoundException(NO_SUCH_ITEM);
    // Whoever added an item may take it back, even where only the host and moderators manage the queue.
    if (!canManageQueue(role, room.queueOpen) && item.addedById !== caller.userId) throw new ForbiddenException(QUEUE_MANAGERS_ONLY);
    if (!(await this.repo.remove(roomId, itemId))) throw new NotFoundException(NO_SUCH_ITEM);
    this.line(roomId, `${caller.name} removed ${item.name} from Up next`, `queue:${caller.userId}`);
    return this.publish(roomId);
  }

  /** `seenMediaId`: what the caller saw playing (null: nothing), so a double click skips once. */
  async skip(caller: QueueCaller, roomId: string, seenMediaId: string | null): Promise<QueueView> {
    const { room, role } = await this.access.require(caller.userId, roomId, 'take-part');
    if (!canControl(role, room.controlLocked)) throw new ForbiddenException(SKIP_NOT_ALLOWED);
    const r = await this.advance(
      roomId,
      seenMediaId,
      () => true,
      (next) => `${caller.name} skipped to ${next}`,
    );
    if (r.kind === 'empty') throw new ConflictException(QUEUE_EMPTY);
    if (r.kind === 'changed') throw new ConflictException(PLAYING_CHANGED);
    return this.view(roomId);
  }

  async vote(caller: QueueCaller, roomId: string, mediaId: string): Promise<QueueView> {
    const { room } = await this.access.require(caller.userId, roomId, 'take-part');
    if (!room.skipVote) throw new ForbiddenException(VOTES_OFF);
    const [state, gen] = await Promise.all([this.playback.getState(roomId), this.votes.generation(roomId)]);
    if (state.mediaId !== mediaId) throw new ConflictException(PLAYING_CHANGED);
    if (!(await this.repo.next(roomId))) throw new ConflictException(QUEUE_EMPTY);
    // Reserve (the vote is recorded atomically and the count read with it), then act: the votes that
    // reach the majority all try to advance, and the generation claim lets exactly one of them.
    const voters = await this.votes.vote(roomId, gen, mediaId, caller.userId);
    const needed = votesNeeded(await this.presence.connectedCount(roomId));
    if (voters.length < needed) {
      this.line(roomId, `${caller.name} voted to skip (${voters.length} of ${needed})`, 'queue:vote');
      return this.publish(roomId);
    }
    const r = await this.advance(
      roomId,
      mediaId,
      () => true,
      (next) => `Skipped by vote (${voters.length} of ${needed}): now ${next}`,
      gen,
    );
    if (r.kind === 'empty') throw new ConflictException(QUEUE_EMPTY);
    return this.view(roomId);
  }

  /** A member's player reported (every 2 s, and at once when it ended): has the playing item ended? */
  async onPlayerReport(roomId: string): Promise<void> {
    const state = await this.playback.getState(roomId);
    if (!state.mediaId || state.paused) return;
    const duration = await this.duration(state.mediaId);
    if (!hasEnded(state, duration, Date.now())) {
      this.scheduleEnd(roomId, state, duration);
      return;
    }
    const playing = state.mediaId;
    const r = await this.advance(
      roomId,
      playing,
      (s) => s.mediaId === playing && hasEnded(s, duration, Date.now()),
      (next) => `Up next: ${next}`,
    );
    if (r.kind === 'advanced') this.logger.info({ roomId, from: playing }, 'queue advanced at the end of an item');
  }

  private async view(roomId: string): Promise<QueueView> {
    const [items, state, gen] = await Promise.all([this.repo.list(roomId), this.playback.getState(roomId), this.votes.generation(roomId)]);
    if (!state.mediaId) return { items, vote: null };
    const voterIds = await this.votes.voters(roomId, gen, state.mediaId);
    if (voterIds.length === 0) return { items, vote: null };
    const needed = votesNeeded(await this.presence.connectedCount(roomId));
    return { items, vote: { mediaId: state.mediaId, votes: voterIds.length, needed, voterIds } };
  }

  private async publish(roomId: string): Promise<QueueView> {
    const view = await this.view(roomId);
    this.broadcast.toRoom(roomId, 'queue:state', view);
    return view;
  }

  private async requireManager(caller: QueueCaller, roomId: string): Promise<void> {
    const { room, role } = await this.access.require(caller.userId, roomId, 'take-part');
    if (!canManageQueue(role, room.queueOpen)) throw new ForbiddenException(QUEUE_MANAGERS_ONLY);
  }

  /**
   * Starts the first playable item for everyone, if what plays is still `expected` and `still(state)`
   * holds. `gen`: the generation the decision was based on (a vote's); default: the current one.
   */
  private async advance(
    roomId: string,
    expected: string | null,
    still: (s: PlaybackState) => boolean,
    line: (nextName: string) => string,
    gen?: number,
  ): Promise<AdvanceResult> {
    const claimGen = gen ?? (await this.votes.generation(roomId));
    let state = await this.playback.getState(roomId);
    if (state.mediaId !== expected || !still(state)) return { kind: 'changed' };
    const next = await this.repo.next(roomId);
    if (!next) return { kind: 'empty' };
    if (!(await this.votes.claim(roomId, claimGen))) return { kind: 'changed' };
    for (let attempt = 0; attempt < ADVANCE_TRIES; attempt++) {
      const r = await this.playback.systemCommand(
        roomId,
        { type: 'media', mediaId: next.mediaId, play: true, baseSeq: state.seq },
        line(next.name),
      );
      if (r.ok) {
        await this.repo.remove(roomId, next.id);
        await this.publish(roomId);
        this.scheduleEnd(roomId, r.data, await this.duration(next.mediaId));
        return { kind: 'advanced', name: next.name };
      }
      state = await this.playback.getState(roomId);
      if (state.mediaId !== expected || !still(state)) return { kind: 'changed' };
    }
    return { kind: 'changed' };
  }

  private async duration(mediaId: string): Promise<number | null> {
    const hit = this.durations.get(mediaId);
    if (hit && Date.now() - hit.at < DURATION_CACHE_MS) return hit.sec;
    const sec = await this.repo.durationSec(mediaId);
    this.durations.set(mediaId, { at: Date.now(), sec });
    return sec;
  }

  /** A check at the expected end of this state (once per state): the queue moves on even if nobody reports. */
  private scheduleEnd(roomId: string, state: PlaybackState, durationSec: number | null): void {
    const at = endsAt(state, durationSec);
    const existing = this.endTimers.get(roomId);
    if (existing?.seq === state.seq) return;
    if (existing) clearTimeout(existing.timer);
    this.endTimers.delete(roomId);
    if (at === null || at - Date.now() > MAX_TIMER_MS) return;
    const timer = setTimeout(
      () => {
        if (this.endTimers.get(roomId)?.timer === timer) this.endTimers.delete(roomId);
        this.onPlayerReport(roomId).catch((err: unknown) => this.logger.warn({ err, roomId }, 'queue end check failed'));
      },
      Math.max(0, at - Date.now()) + 50,
    );
    timer.unref?.();
    this.endTimers.set(roomId, { seq: state.seq, timer });
  }

  private line(roomId: string, body: string, foldKey: string): void {
    this.chat?.postSystem(roomId, body, foldKey).catch((err: unknown) => this.logger.warn({ err }, 'system chat line failed'));
  }

  onModuleDestroy() {
    for (const { timer } of this.endTimers.values()) clearTimeout(timer);
    this.endTimers.clear();
  }
}
