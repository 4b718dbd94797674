import { HAVE_METADATA, type MediaElement, type MediaEventName } from '../element-controller';

const HAVE_ENOUGH_DATA = 4;

/**
 * A <video> for node: it keeps the state sync reads and fires the events a browser fires for what is
 * done to it. Browsers fire them a task later; here they fire at once, which the engine must handle
 * as well (it states its intent before acting).
 */
export class FakeMediaElement implements MediaElement {
  paused = true;
  seeking = false;
  ended = false;
  readyState = HAVE_ENOUGH_DATA;
  duration = 120;
  /** Makes play() fail the way a browser's autoplay policy does. */
  autoplayBlocked = false;
  playCalls = 0;
  private position = 0;
  private rate = 1;
  private readonly listeners = new Map<MediaEventName, Set<() => void>>();

  get currentTime(): number {
    return this.position;
  }

  /** Seeking, as a browser does it: 'seeking' now, 'seeked' when settleSeek() says the data is there. */
  set currentTime(sec: number) {
    this.position = sec;
    this.seeking = true;
    this.fire('seeking');
  }

  get playbackRate(): number {
    return this.rate;
  }

  set playbackRate(rate: number) {
    this.rate = rate;
    this.fire('ratechange');
  }

  play(): Promise<void> {
    this.playCalls += 1;
    if (this.autoplayBlocked) return Promise.reject(new DOMException('play() failed because the user did not interact', 'NotAllowedError'));
    if (this.paused) {
      this.paused = false;
      this.fire('play');
    }
    return Promise.resolve();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.fire('pause');
  }

  addEventListener(type: MediaEventName, listener: () => void): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: MediaEventName, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }

  fire(type: MediaEventName): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) l();
  }

  // ---- the world acting on the element ---------------------------------------------------------

  /** Plays on for `ms` at its rate (no events, like a browser's steady playback). */
  run(ms: number): void {
    if (!this.paused && !this.seeking) this.position += (ms / 1000) * this.rate;
  }

  /** Places the playhead without any event (a test's starting point, or drift that built up). */
  place(sec: number): void {
    this.position = sec;
  }

  /** The data for a seek arrived: 'seeked', and 'playing' when it plays on. */
  settleSeek(): void {
    this.seeking = false;
    this.fire('seeked');
    if (!this.paused) this.fire('playing');
  }

  /** A new source starts loading ('loadstart'): nothing to play until canPlay(). */
  startLoading(): void {
    this.readyState = 0;
    this.fire('loadstart');
  }

  /** Enough data to play ('canplay'). */
  canPlay(): void {
    this.readyState = HAVE_ENOUGH_DATA;
    this.fire('canplay');
  }

  loadMetadata(): void {
    this.readyState = HAVE_METADATA;
    this.fire('loadedmetadata');
  }

  // ---- a person using the native controls ------------------------------------------------------

  personPlays(): void {
    this.paused = false;
    this.fire('play');
  }

  personPauses(): void {
    this.paused = true;
    this.fire('pause');
  }

  personSeeks(sec: number): void {
    this.currentTime = sec;
  }

  personSetsRate(rate: number): void {
    this.playbackRate = rate;
  }
}
