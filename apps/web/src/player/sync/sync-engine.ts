import type { PlaybackStateView, PlayerStatus } from '@reelroom/contracts';
import { ClockEstimator, clockSample, decideCorrection, type PlaybackCommand } from '@reelroom/sync';
import { CATCH_UP, EchoFilter, isNewer, planPlay, roomPositionAt, shouldCatchUp, Smoothed } from './sync-math';

/** What the engine needs from the socket (room-sync.ts wires it to socket.io). */
export interface SyncTransport {
  ping(t0: number, rttMs: number | null): Promise<{ t0: number; serverTime: number }>;
  command(cmd: PlaybackCommand): Promise<{ ok: true; data: PlaybackStateView } | { ok: false; error: string }>;
  status(s: PlayerStatus): void;
}

export interface SyncSnapshot {
  state: PlaybackStateView | null;
  driftMs: number | null;
  autoSync: boolean;
  noWait: boolean;
  /** The browser refused to start playback without a click (autoplay policy). */
  blocked: boolean;
  lastError: string | null;
}

/** For tests, the benchmark and devtools only: the app never reads these. */
export interface SyncDebug {
  driftMs: number;
  rateChanges: number;
  seeks: number;
  offsetMs: number;
  rttMs: number;
}

const LOOP_MS = 250;
const CLOCK_BURST = 6;
const CLOCK_EVERY_MS = 30_000;
const STATUS_MIN_MS = 500;
const STATUS_EVERY_MS = 2_000;
/** Paused or scheduled: align the element when it is further than this from the room position. */
const ALIGN_TOLERANCE_SEC = 0.04;

/**
 * Keeps one <video> in step with the room: clock offset (time:ping), scheduled play/seek, tiered drift
 * correction (@reelroom/sync decideCorrection), and the person's own actions on the element turned
 * into room commands. Element events the engine causes itself are recognised (EchoFilter) and ignored.
 */
export class SyncEngine {
  private video: HTMLVideoElement | null = null;
  private state: PlaybackStateView | null = null;
  private readonly clock = new ClockEstimator(8);
  private readonly echo = new EchoFilter();
  private readonly seekLatency = new Smoothed(150);
  private lastSeekAt = Number.NEGATIVE_INFINITY;
  private pendingSeek: { startedAt: number } | null = null;
  /** Start catch-up (see shouldCatchUp): until when, and whether it was used for this start. */
  private catchUp = { until: 0, used: false };
  private startTimer: ReturnType<typeof setTimeout> | null = null;
  private loopTimer: ReturnType<typeof setInterval> | null = null;
  private clockTimer: ReturnType<typeof setInterval> | null = null;
  private seekDebounce: ReturnType<typeof setTimeout> | null = null;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private lastStatus: { at: number; key: string } = { at: 0, key: '' };
  private readonly listeners = new Set<(s: SyncSnapshot) => void>();
  private snap: SyncSnapshot = { state: null, driftMs: null, autoSync: true, noWait: false, blocked: false, lastError: null };
  readonly debug: SyncDebug = { driftMs: 0, rateChanges: 0, seeks: 0, offsetMs: 0, rttMs: 0 };
  private detachListeners: (() => void) | null = null;

  constructor(private readonly transport: SyncTransport) {}

  // ---- lifecycle ---------------------------------------------------------------------------------

  start(): void {
    void this.syncClock(CLOCK_BURST);
    this.clockTimer = setInterval(() => void this.syncClock(1), CLOCK_EVERY_MS);
    this.loopTimer = setInterval(() => this.tick(), LOOP_MS);
  }

  stop(): void {
    this.detach();
    if (this.clockTimer) clearInterval(this.clockTimer);
    if (this.loopTimer) clearInterval(this.loopTimer);
    this.clockTimer = this.loopTimer = null;
  }

  subscribe(fn: (s: SyncSnapshot) => void): () => void {
    this.listeners.add(fn);
    fn(this.snap);
    return () => this.listeners.delete(fn);
  }

  get snapshot(): SyncSnapshot {
    return this.snap;
  }

  private publish(patch: Partial<SyncSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l(this.snap);
  }

  serverNow(): number {
    return this.clock.serverNow(Date.now());
  }

  // ---- clock -------------------------------------------------------------------------------------

  private async syncClock(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      try {
        const t0 = Date.now();
        const r = await this.transport.ping(t0, this.clock.best?.rttMs ?? null);
        this.clock.add(clockSample(t0, r.serverTime, Date.now()));
        this.debug.offsetMs = this.clock.best?.offsetMs ?? 0;
        this.debug.rttMs = this.clock.best?.rttMs ?? 0;
      } catch {
        return;
      }
    }
    // A better offset changes where "now" is: re-plan a pending scheduled start.
    if (this.state && this.video) this.applyToElement();
  }

  // ---- the element -------------------------------------------------------------------------------

  attach(video: HTMLVideoElement): void {
    this.detach();
    this.video = video;
    const on = <K extends keyof HTMLMediaElementEventMap>(type: K, fn: () => void) => {
      video.addEventListener(type, fn);
      return () => video.removeEventListener(type, fn);
    };
    const offs = [
      on('play', () => this.onElementPlayPause('play')),
      on('pause', () => this.onElementPlayPause('pause')),
      on('seeking', () => this.onElementSeeking()),
      on('seeked', () => this.onSeekSettled()),
      on('playing', () => this.onSeekSettled()),
      on('ratechange', () => this.onElementRate()),
      on('loadedmetadata', () => this.applyToElement()),
      on('waiting', () => this.reportStatus(true)),
      on('canplay', () => this.reportStatus(true)),
    ];
    this.detachListeners = () => offs.forEach((off) => off());
    if (this.state) this.applyToElement();
  }

  detach(): void {
    this.detachListeners?.();
    this.detachListeners = null;
    this.clearStart();
    this.video = null;
  }

  // ---- room state in -----------------------------------------------------------------------------

  /** A sync:state (or the join snapshot): older seq is dropped. */
  receive(state: PlaybackStateView): void {
    if (!isNewer(state, this.state)) return;
    const same = this.state && this.state.seq === state.seq;
    this.state = state;
    if (!same) this.publish({ state });
    this.applyToElement();
  }

  private clearStart(): void {
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = null;
  }

  private setRate(rate: number): void {
    const v = this.video;
    if (!v || Math.abs(v.playbackRate - rate) < 1e-3) return;
    this.echo.rate = rate;
    v.playbackRate = rate;
    this.debug.rateChanges += 1;
  }

  private seekTo(sec: number, correction: boolean): void {
    const v = this.video;
    if (!v) return;
    const target = Math.max(0, Number.isFinite(v.duration) && v.duration > 0 ? Math.min(sec, v.duration) : sec);
    this.echo.engineSeek(target, Date.now());
    this.pendingSeek = { startedAt: performance.now() };
    this.lastSeekAt = Date.now();
    v.currentTime = target;
    if (correction) this.debug.seeks += 1;
  }

  private pause(): void {
    this.echo.wantPaused = true;
    if (this.video && !this.video.paused) this.video.pause();
  }

  private play(): void {
    const v = this.video;
    this.echo.wantPaused = false;
    if (!v || !v.paused) return;
    v.play().then(
      () => this.snap.blocked && this.publish({ blocked: false }),
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'NotAllowedError') this.publish({ blocked: true });
      },
    );
  }

  /** Brings the element to the room state: position, rate, paused, or a scheduled start. */
  private applyToElement(): void {
    const v = this.video;
    const s = this.state;
    if (!v || !s || !s.mediaId || v.readyState < HTMLMediaElement.HAVE_METADATA) return;
    this.clearStart();
    this.echo.rate = s.rate;
    this.setRate(s.rate);
    const now = this.serverNow();
    if (s.paused) {
      this.pause();
      if (Math.abs(v.currentTime - s.position) > ALIGN_TOLERANCE_SEC) this.seekTo(s.position, false);
      return;
    }
    const plan = planPlay(s, now);
    if (plan.kind === 'scheduled') {
      // Hold at the start frame, then start at the server instant (converted to local time).
      this.pause();
      if (Math.abs(v.currentTime - plan.at) > ALIGN_TOLERANCE_SEC) this.seekTo(plan.at, false);
      this.startTimer = setTimeout(() => {
        this.startTimer = null;
        this.openCatchUp();
        this.play();
      }, plan.startInMs);
      return;
    }
    this.openCatchUp();
    const driftSec = v.currentTime - plan.at;
    if (v.paused || Math.abs(driftSec) * 1000 >= 1500) {
      if (Math.abs(driftSec) > ALIGN_TOLERANCE_SEC) this.seekTo(plan.at + (v.paused ? this.seekLatency.value / 1000 : 0) * s.rate, false);
    }
    this.play();
  }

  private openCatchUp(): void {
    this.catchUp = { until: Date.now() + CATCH_UP.windowMs, used: false };
  }

  // ---- the loop ----------------------------------------------------------------------------------

  private tick(): void {
    const v = this.video;
    const s = this.state;
    if (!v || !s || !s.mediaId) return this.reportStatus(false);
    const now = this.serverNow();
    const expected = roomPositionAt(s, now);
    const live = !s.paused && now > s.anchorServerTime;
    // Never measure while a seek settles or the element waits for data: that is latency, not drift.
    if (live && !v.paused && !v.seeking && v.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && !this.pendingSeek) {
      const driftMs = (v.currentTime - expected) * 1000;
      this.debug.driftMs = driftMs;
      this.publish({ driftMs });
      if (shouldCatchUp({ driftMs, now: Date.now(), windowUntil: this.catchUp.until, used: this.catchUp.used, autoSync: this.snap.autoSync })) {
        this.catchUp.used = true;
        this.seekTo(expected + (this.seekLatency.value / 1000) * s.rate, true);
      } else if (this.snap.autoSync) {
        const c = decideCorrection({
          driftMs,
          roomRate: s.rate,
          currentRate: v.playbackRate,
          now: Date.now(),
          lastSeekAt: this.lastSeekAt,
          seekLatencyMs: this.seekLatency.value,
          expectedSec: expected,
        });
        if (c.action === 'rate') this.setRate(c.rate);
        else if (c.action === 'seek') this.seekTo(c.toSec, true);
      } else if (Math.abs(v.playbackRate - s.rate) > 1e-3) {
        this.setRate(s.rate);
      }
    } else if (s.paused) {
      const driftMs = (v.currentTime - s.position) * 1000;
      this.debug.driftMs = driftMs;
      if (this.snap.driftMs !== null && Math.abs(driftMs) < 1500) this.publish({ driftMs: null });
    }
    this.reportStatus(false);
  }

  private onSeekSettled(): void {
    const v = this.video;
    if (!this.pendingSeek || !v) return;
    // A seek while playing settles on 'playing'; one while paused on 'seeked'.
    if (!v.paused && v.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) return;
    const took = performance.now() - this.pendingSeek.startedAt;
    this.pendingSeek = null;
    if (!v.paused) this.seekLatency.add(took);
    this.lastSeekAt = Date.now(); // the cooldown counts from when the seek has settled
  }

  // ---- the person's own actions out --------------------------------------------------------------

  private onElementPlayPause(type: 'play' | 'pause'): void {
    const v = this.video;
    if (!v || !this.state?.mediaId) return;
    if (this.echo.isEchoPlayPause(type)) return;
    if (type === 'pause' && v.ended) return;
    this.send(type === 'play' ? { type: 'play', baseSeq: this.state.seq } : { type: 'pause', position: v.currentTime, baseSeq: this.state.seq });
  }

  private onElementSeeking(): void {
    const v = this.video;
    if (!v || !this.state?.mediaId) return;
    if (this.echo.isEchoSeek(v.currentTime, Date.now())) return;
    // Scrubbing fires many seeks: send the last one.
    if (this.seekDebounce) clearTimeout(this.seekDebounce);
    this.seekDebounce = setTimeout(() => {
      this.seekDebounce = null;
      if (this.video && this.state) this.send({ type: 'seek', position: this.video.currentTime, baseSeq: this.state.seq });
    }, 150);
  }

  private onElementRate(): void {
    const v = this.video;
    if (!v || !this.state?.mediaId) return;
    if (this.echo.isEchoRate(v.playbackRate)) return;
    const rate = Math.min(2, Math.max(0.5, Math.round(v.playbackRate * 100) / 100));
    this.send({ type: 'rate', rate, baseSeq: this.state.seq });
  }

  /** Sends a command; when refused, the element goes back to the room state. */
  send(cmd: PlaybackCommand): void {
    this.transport.command(cmd).then(
      (r) => {
        if (r.ok) {
          this.publish({ lastError: null });
          this.receive(r.data);
        } else {
          this.publish({ lastError: r.error });
          this.applyToElement();
        }
      },
      () => this.applyToElement(),
    );
  }

  /** Commands from our own UI (speed menu, resync). */
  setRoomRate(rate: number): void {
    if (this.state) this.send({ type: 'rate', rate, baseSeq: this.state.seq });
  }

  resync(): void {
    this.lastSeekAt = Number.NEGATIVE_INFINITY;
    const s = this.state;
    if (!s || !this.video) return;
    if (s.paused) return this.applyToElement();
    const target = roomPositionAt(s, this.serverNow()) + (this.seekLatency.value / 1000) * s.rate;
    this.seekTo(target, true);
    this.play();
  }

  setAutoSync(on: boolean): void {
    this.publish({ autoSync: on });
    if (!on && this.state) this.setRate(this.state.rate);
  }

  setNoWait(on: boolean): void {
    this.publish({ noWait: on });
    this.reportStatus(true);
  }

  /** Resumes after an autoplay refusal: a click is a user gesture. */
  unblock(): void {
    this.publish({ blocked: false });
    this.applyToElement();
  }

  // ---- status ------------------------------------------------------------------------------------

  private playerState(): PlayerStatus['state'] {
    const v = this.video;
    if (!v || !this.state?.mediaId) return 'idle';
    if (v.ended) return 'ended';
    if (v.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) return 'buffering';
    return v.paused ? 'paused' : 'playing';
  }

  /** player:status: on a change right away (but at most every 500 ms), otherwise every 2 s. */
  private reportStatus(changedHint: boolean): void {
    const state = this.playerState();
    const driftMs = Math.round(this.snap.driftMs ?? 0);
    const key = `${state}|${this.snap.noWait}`;
    const now = Date.now();
    const changed = key !== this.lastStatus.key || changedHint;
    if (now - this.lastStatus.at < (changed ? STATUS_MIN_MS : STATUS_EVERY_MS)) {
      if (changed && key !== this.lastStatus.key && !this.statusTimer) {
        this.statusTimer = setTimeout(() => {
          this.statusTimer = null;
          this.reportStatus(true);
        }, STATUS_MIN_MS);
      }
      return;
    }
    if (!changed && now - this.lastStatus.at < STATUS_EVERY_MS) return;
    this.lastStatus = { at: now, key };
    this.transport.status({ state, driftMs, noWait: this.snap.noWait });
  }
}
