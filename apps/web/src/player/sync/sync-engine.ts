import type { PlaybackStateView } from '@reelroom/contracts';
import { DEFAULT_POLICY, type CorrectionPolicy } from '@reelroom/sync';
import { ClockSync } from './clock-sync';
import { CommandSender, type CommandInput } from './command-sender';
import { DriftLoop } from './drift-loop';
import { ElementController, type MediaElement, type MediaEventName } from './element-controller';
import { browserScheduler, type Cancel, type Scheduler } from './scheduler';
import { StateApplier } from './state-applier';
import { StatusReporter, elementStateOf, playerStateOf } from './status-reporter';
import { CatchUpWindow, holdsLive, isNewer } from './sync-math';
import { SyncStore, type SyncSnapshot } from './sync-store';
import { newSyncDebug, type SyncDebug, type SyncTransport } from './sync-types';

export type { SyncSnapshot } from './sync-store';

/** Events of an undriven player (reportFor) that may change its status: playing, paused, waiting for data. */
const UNDRIVEN_CHANGES: MediaEventName[] = ['play', 'playing', 'pause', 'waiting', 'canplay'];
export type { SyncDebug, SyncTransport } from './sync-types';

/**
 * Keeps one <video> in step with the room. It holds the room state and wires the parts, each with one job:
 * ClockSync (server time), ElementController (drives the element, filters out its own echoes),
 * StateApplier (room state -> element), DriftLoop (measure and correct), CommandSender (the person's
 * actions -> room commands), StatusReporter (player:status) and SyncStore (what the UI shows).
 */
export class SyncEngine {
  readonly store = new SyncStore();
  /** Live counters for tests, the benchmark and devtools (window.__reelroom.sync). */
  readonly debug: SyncDebug = newSyncDebug();
  private state: PlaybackStateView | null = null;
  private readonly clock: ClockSync;
  private readonly controller: ElementController;
  private readonly applier: StateApplier;
  private readonly loop: DriftLoop;
  private readonly commands: CommandSender;
  private readonly status: StatusReporter;
  /** A player on this page that the engine reports on but does not drive (reportFor), and its own drift. */
  private undriven: { el: MediaElement; driftMs: () => number | null } | null = null;

  constructor(transport: SyncTransport, scheduler: Scheduler = browserScheduler, policy: CorrectionPolicy = DEFAULT_POLICY) {
    const room = () => this.state;
    const store = this.store;
    const debug = this.debug;
    const catchUp = new CatchUpWindow(policy);
    const serverNow = () => this.clock.serverNow();
    this.controller = new ElementController({ scheduler, debug, onBlocked: (blocked) => store.update({ blocked }) });
    const controller = this.controller;
    this.clock = new ClockSync({ ping: (t0, rttMs) => transport.ping(t0, rttMs), scheduler, debug, improved: () => this.applier.apply() });
    const liveHeld = () => store.getSnapshot().liveHeld;
    this.applier = new StateApplier({ room, controller, serverNow, scheduler, catchUp, policy, liveHeld });
    this.status = new StatusReporter({
      send: (s) => transport.status(s),
      playerState: () => (this.undriven ? elementStateOf(this.undriven.el) : playerStateOf(controller.element, room())),
      driftMs: () => (this.undriven ? this.undriven.driftMs() : store.getSnapshot().driftMs),
      store,
      scheduler,
    });
    this.loop = new DriftLoop({
      room,
      controller,
      serverNow,
      scheduler,
      catchUp,
      store,
      debug,
      policy,
      personPending: () => this.commands.pending,
      afterTick: () => this.status.report(false),
    });
    this.commands = new CommandSender({
      command: (cmd) => transport.command(cmd),
      room,
      element: () => controller.element,
      store,
      scheduler,
      accepted: (state) => this.receive(state),
      refused: () => this.applier.apply(),
      personalOnLive: (action) => store.update({ liveHeld: holdsLive(action, liveHeld()) }),
    });
  }

  start(): void {
    this.clock.start();
    this.loop.start();
  }

  /** Stops everything: no timer, no element listener and no clock round survives it. */
  stop(): void {
    this.detach();
    this.clock.stop();
    this.loop.stop();
    this.commands.stop();
    this.status.stop();
  }

  get snapshot(): SyncSnapshot {
    return this.store.getSnapshot();
  }

  serverNow(): number {
    return this.clock.serverNow();
  }

  attach(el: MediaElement): void {
    this.detach();
    const { commands, applier, status } = this;
    this.controller.attach(el, {
      played: () => commands.played(),
      paused: (position) => commands.paused(position),
      seeking: () => commands.seeking(),
      changedRate: (rate) => commands.changedRate(rate),
      metadataLoaded: () => applier.apply(),
      readinessChanged: () => status.report(true),
    });
    if (this.state) this.applier.apply();
  }

  /**
   * A player that plays without the engine driving it (a low-latency live: the player holds its own
   * distance behind the edge, so there is no room position to follow): its state and the drift it keeps
   * itself (`driftMs`, null: none measured) are what this page reports to the room, instead of "no video"
   * (the engine would report its own empty element otherwise). Returns what stops it.
   */
  reportFor(el: MediaElement, driftMs: () => number | null = () => null): Cancel {
    const changed = () => this.status.report(true);
    for (const e of UNDRIVEN_CHANGES) el.addEventListener(e, changed);
    const undriven = { el, driftMs };
    this.undriven = undriven;
    this.status.report(true);
    return () => {
      for (const e of UNDRIVEN_CHANGES) el.removeEventListener(e, changed);
      if (this.undriven !== undriven) return;
      this.undriven = null;
      this.status.report(true);
    };
  }

  detach(): void {
    this.controller.detach();
    this.applier.cancelScheduledStart();
  }

  /** A sync:state (or the join snapshot): older seq is dropped, an equal one (a reminder) re-applied. */
  receive(state: PlaybackStateView): void {
    if (!isNewer(state, this.state)) return;
    const same = this.state?.seq === state.seq;
    // Another live (or none): a hold on the previous one is over.
    if (state.liveId !== this.state?.liveId) this.store.update({ liveHeld: false });
    this.state = state;
    this.debug.room = state;
    if (!same) this.store.update({ state });
    this.applier.apply();
  }

  /** A room command from our own UI (e.g. `{type: 'media', mediaId}`); baseSeq defaults to the seq seen. */
  send(cmd: CommandInput): void {
    this.commands.send(cmd);
  }

  setRoomRate(rate: number): void {
    this.commands.setRoomRate(rate);
  }

  /** "Resync", and on a live "Jump to live": back to the room position (a person's hold on the live ends). */
  resync(): void {
    this.store.update({ liveHeld: false });
    this.applier.resync();
  }

  setAutoSync(on: boolean): void {
    this.store.update({ autoSync: on });
    if (!on && this.state) this.controller.setRate(this.state.rate);
  }

  setNoWait(on: boolean): void {
    this.store.update({ noWait: on });
    this.status.report(true);
  }

  /**
   * Follows the person's current role: a promotion gives control (and clears the last refusal, which no
   * longer applies), a demotion takes it away.
   */
  setCanControl(can: boolean): void {
    if (this.store.getSnapshot().canControl === can) return;
    this.store.update({ canControl: can, lastError: null });
  }

  /** Resumes after an autoplay refusal: a click is a user gesture. */
  unblock(): void {
    this.store.update({ blocked: false });
    this.applier.apply();
  }
}
