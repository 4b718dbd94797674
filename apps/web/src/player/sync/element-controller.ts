import type { Cancel, Scheduler } from './scheduler';
import type { SyncDebug } from './sync-types';
import { EchoFilter, Smoothed } from './sync-math';

/** HTMLMediaElement.readyState values (HTML spec); the constants live on a class node does not have. */
export const HAVE_METADATA = 1;
export const HAVE_FUTURE_DATA = 3;

/** Before the first measured seek: what a seek into buffered media takes on an ordinary machine (ms). */
const INITIAL_SEEK_LATENCY_MS = 150;

export type MediaEventName =
  'play' | 'pause' | 'seeking' | 'seeked' | 'playing' | 'ratechange' | 'loadstart' | 'loadedmetadata' | 'waiting' | 'canplay';

/** The part of a <video> (HTMLMediaElement) that sync reads and drives. */
export interface MediaElement {
  currentTime: number;
  playbackRate: number;
  readonly paused: boolean;
  readonly seeking: boolean;
  readonly ended: boolean;
  readonly readyState: number;
  readonly duration: number;
  play(): Promise<void>;
  pause(): void;
  addEventListener(type: MediaEventName, listener: () => void): void;
  removeEventListener(type: MediaEventName, listener: () => void): void;
}

/** What the person did on the element (the engine's own changes are filtered out). */
export interface PersonActions {
  played(): void;
  paused(position: number): void;
  /** Scrubbing fires one per step: the position to send is read once it stops. */
  seeking(): void;
  changedRate(rate: number): void;
}

export interface ElementEvents extends PersonActions {
  metadataLoaded(): void;
  /** The element started waiting for data, or can play again: its status changed. */
  readinessChanged(): void;
}

/**
 * Drives the <video>: play, pause, seek and rate, and tells the element events it caused from those the
 * person caused (EchoFilter), so that only the person's become room commands. Also measures how long a
 * seek takes to resume playing here, which correction aims ahead by.
 */
export class ElementController {
  private el: MediaElement | null = null;
  private unlisten: Cancel | null = null;
  private readonly echo = new EchoFilter();
  private readonly latency = new Smoothed(INITIAL_SEEK_LATENCY_MS);
  private pendingSeek: { startedAt: number } | null = null;
  private lastSeek = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: {
      scheduler: Pick<Scheduler, 'now' | 'elapsed'>;
      debug: SyncDebug;
      /** The browser refused (true) or allowed (false) playback without a click. */
      onBlocked(blocked: boolean): void;
    },
  ) {}

  get element(): MediaElement | null {
    return this.el;
  }

  /** Smoothed time (ms) a seek takes to resume playing here. */
  get seekLatencyMs(): number {
    return this.latency.value;
  }

  /** A seek of ours has not settled yet: what the element shows now is latency, not drift. */
  get seekSettling(): boolean {
    return this.pendingSeek !== null;
  }

  /** When our last seek started or settled (wall clock ms), for correction's cooldown. */
  get lastSeekAt(): number {
    return this.lastSeek;
  }

  /** A manual resync must not wait for the cooldown of an earlier seek. */
  forgetLastSeek(): void {
    this.lastSeek = Number.NEGATIVE_INFINITY;
  }

  attach(el: MediaElement, events: ElementEvents): void {
    this.detach();
    this.el = el;
    const echo = this.echo;
    const now = () => this.deps.scheduler.now();
    // From a (re)load until the element can first play, its seeks are the player library's (hls.js puts a
    // new source at its start position), never the person's: a source reloaded for new subtitles must not
    // send the whole room to 0:00. The engine puts the element at the room position once it has metadata.
    let loading = false;
    const handlers: [MediaEventName, () => void][] = [
      [
        'play',
        () => {
          if (!echo.isEchoPlayPause('play')) events.played();
        },
      ],
      [
        'pause',
        () => {
          // An element pauses by itself at the end: that is no one's pause.
          if (!echo.isEchoPlayPause('pause') && !el.ended) events.paused(el.currentTime);
        },
      ],
      [
        'seeking',
        () => {
          if (!echo.isEchoSeek(el.currentTime, now()) && !loading) events.seeking();
        },
      ],
      [
        'loadstart',
        () => {
          loading = true;
        },
      ],
      ['seeked', () => this.onSeekSettled()],
      ['playing', () => this.onSeekSettled()],
      [
        'ratechange',
        () => {
          if (!echo.isEchoRate(el.playbackRate)) events.changedRate(el.playbackRate);
        },
      ],
      ['loadedmetadata', () => events.metadataLoaded()],
      ['waiting', () => events.readinessChanged()],
      [
        'canplay',
        () => {
          loading = false;
          events.readinessChanged();
        },
      ],
    ];
    for (const [type, fn] of handlers) el.addEventListener(type, fn);
    this.unlisten = () => {
      for (const [type, fn] of handlers) el.removeEventListener(type, fn);
    };
  }

  detach(): void {
    this.unlisten?.();
    this.unlisten = null;
    this.el = null;
  }

  /** The rate the room plays at: the element reporting it is our doing, not the person's. */
  expectRate(rate: number): void {
    this.echo.rate = rate;
  }

  setRate(rate: number): void {
    const v = this.el;
    if (!v || Math.abs(v.playbackRate - rate) < 1e-3) return;
    this.echo.rate = rate;
    v.playbackRate = rate;
    this.deps.debug.rateChanges += 1;
  }

  /** `correction`: counted as a drift correction (debug counters), as opposed to following a command. */
  seekTo(sec: number, correction: boolean): void {
    const v = this.el;
    if (!v) return;
    const target = Math.max(0, Number.isFinite(v.duration) && v.duration > 0 ? Math.min(sec, v.duration) : sec);
    this.echo.engineSeek(target, this.deps.scheduler.now());
    this.pendingSeek = { startedAt: this.deps.scheduler.elapsed() };
    this.lastSeek = this.deps.scheduler.now();
    v.currentTime = target;
    if (correction) this.deps.debug.seeks += 1;
  }

  pause(): void {
    this.echo.wantPaused = true;
    if (this.el && !this.el.paused) this.el.pause();
  }

  play(): void {
    const v = this.el;
    this.echo.wantPaused = false;
    if (!v || !v.paused) return;
    v.play().then(
      () => this.deps.onBlocked(false),
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'NotAllowedError') this.deps.onBlocked(true);
      },
    );
  }

  private onSeekSettled(): void {
    const v = this.el;
    if (!this.pendingSeek || !v) return;
    // A seek while playing settles on 'playing'; one while paused on 'seeked'.
    if (!v.paused && v.readyState < HAVE_FUTURE_DATA) return;
    const took = this.deps.scheduler.elapsed() - this.pendingSeek.startedAt;
    this.pendingSeek = null;
    if (!v.paused) this.latency.add(took);
    this.lastSeek = this.deps.scheduler.now(); // the cooldown counts from when the seek has settled
  }
}
