import type { PlaybackStateView } from '@reelroom/contracts';
import { toRoomRate, type PlaybackCommand } from '@reelroom/sync';
import type { MediaElement, PersonActions } from './element-controller';
import type { Cancel, Scheduler } from './scheduler';
import type { SyncStore } from './sync-store';
import type { LiveAction } from './sync-math';
import type { SyncTransport } from './sync-types';

/** Scrubbing fires a seek per step: send the position once it has rested this long. */
const SEEK_REST_MS = 150;

/** A command without its baseSeq (the sender fills in the seq it has seen). Distributes over the union. */
export type CommandInput = PlaybackCommand extends infer C
  ? C extends PlaybackCommand
    ? Omit<C, 'baseSeq'> & { baseSeq?: number }
    : never
  : never;

/**
 * The person's own play, pause, seek and speed (on the element or in our controls) as room commands,
 * each based on the seq this page has seen. A refused or unanswered command puts the element back to
 * the room state; the server's answer to an accepted one is the new room state. While the room plays a
 * live they are the person's own (the server refuses them for the room): `personalOnLive` decides.
 */
export class CommandSender implements PersonActions {
  private cancelSeek: Cancel | null = null;
  private inFlight = 0;

  constructor(
    private readonly deps: {
      command: SyncTransport['command'];
      room(): PlaybackStateView | null;
      element(): MediaElement | null;
      store: SyncStore;
      scheduler: Scheduler;
      accepted(state: PlaybackStateView): void;
      refused(): void;
      personalOnLive(action: LiveAction): void;
    },
  ) {}

  played(): void {
    if (this.onLive('play')) return;
    const s = this.personCommandable();
    if (s) this.send({ type: 'play', baseSeq: s.seq });
  }

  paused(position: number): void {
    if (this.onLive('pause')) return;
    const s = this.personCommandable();
    if (s) this.send({ type: 'pause', position, baseSeq: s.seq });
  }

  /**
   * The seek goes out once scrubbing rests, but with the place and the seq of this step, taken now: a room
   * state that arrives while it rests (the answer to the person's speed change a moment later, or anyone's
   * command) puts the element back to the room's place, so the element's position at send time is not the
   * person's. Based on the seq seen now, the seek still wins over the person's own commands meanwhile (the
   * server accepts a stale seq from whoever made the last change) and loses to anyone else's, as any command.
   */
  seeking(): void {
    if (this.onLive('seek')) return;
    const s = this.personCommandable();
    const v = this.deps.element();
    if (!s || !v) return;
    const seek: CommandInput = { type: 'seek', position: v.currentTime, baseSeq: s.seq };
    this.cancelSeek?.();
    this.cancelSeek = this.deps.scheduler.after(SEEK_REST_MS, () => {
      this.cancelSeek = null;
      this.send(seek);
    });
  }

  changedRate(rate: number): void {
    if (this.onLive('rate')) return;
    const s = this.personCommandable();
    if (s) this.send({ type: 'rate', rate: toRoomRate(rate), baseSeq: s.seq });
  }

  /** The speed menu: the room's rate for everyone. */
  setRoomRate(rate: number): void {
    const s = this.deps.room();
    if (s) this.send({ type: 'rate', rate, baseSeq: s.seq });
  }

  /**
   * A person's command is on its way (a scrub resting, or sent and not yet answered): the element is where
   * the person put it, ahead of the room state, and must not be "corrected" back meanwhile.
   */
  get pending(): boolean {
    return this.cancelSeek !== null || this.inFlight > 0;
  }

  send(input: CommandInput): void {
    const cmd: PlaybackCommand = { ...input, baseSeq: input.baseSeq ?? this.deps.room()?.seq ?? 0 };
    const { store } = this.deps;
    this.inFlight += 1;
    const settled = () => (this.inFlight -= 1);
    this.deps.command(cmd).then(
      (r) => {
        settled();
        if (r.ok) {
          store.update({ lastError: null });
          this.deps.accepted(r.data);
        } else {
          store.update({ lastError: r.error });
          this.deps.refused();
        }
      },
      () => {
        settled();
        this.deps.refused();
      },
    );
  }

  stop(): void {
    this.cancelSeek?.();
    this.cancelSeek = null;
  }

  /** True (and handed to personalOnLive) when the room plays a live: the action is not the room's. */
  private onLive(action: LiveAction): boolean {
    if (!this.deps.room()?.liveId) return false;
    this.deps.personalOnLive(action);
    return true;
  }

  /**
   * The room state when the person's own action on the element can become a command. Someone who may
   * not control playback has no controls; whatever still moves their element (a media key, the
   * browser's picture-in-picture window) is put back to the room state without asking the server.
   */
  private personCommandable(): PlaybackStateView | null {
    const s = this.withMedia();
    if (s && !this.deps.store.getSnapshot().canControl) {
      this.deps.refused();
      return null;
    }
    return s;
  }

  /** The room state, when it plays something: without media there is nothing to command. */
  private withMedia(): PlaybackStateView | null {
    const s = this.deps.room();
    return s?.mediaId ? s : null;
  }
}
