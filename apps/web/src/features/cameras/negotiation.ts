import type { IceCandidate } from '@reelroom/contracts';

/**
 * Who makes the offer between two participants: the one whose peer id sorts lower. Exactly one side of
 * every pair offers, once, so two offers can never cross ("glare"), and neither side needs to roll back.
 * Both sides negotiate an audio and a video transceiver from the start (sendrecv, with or without a
 * track), so muting, turning the camera off or on and switching devices are `replaceTrack` calls that
 * never renegotiate.
 */
export function makesOffer(myPeerId: string, theirPeerId: string): boolean {
  return myPeerId < theirPeerId;
}

/**
 * Trickle ICE produces candidates in quick bursts; sending each as its own socket event would run into
 * the server's per-socket flood guard in a full room. The batcher collects them and sends one signal per
 * burst: after `delayMs` of quiet, or at once when `max` are waiting.
 */
export class CandidateBatcher {
  private pending: IceCandidate[] = [];
  private timer: unknown = null;

  constructor(
    private readonly send: (candidates: IceCandidate[]) => void,
    private readonly delayMs = 60,
    private readonly max = 16,
    // Wrapped: the browser's setTimeout throws "Illegal invocation" when called as a method of another object.
    private readonly timers: { set: (fn: () => void, ms: number) => unknown; clear: (t: unknown) => void } = {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
    },
  ) {}

  add(candidate: IceCandidate): void {
    this.pending.push(candidate);
    if (this.pending.length >= this.max) return this.flush();
    if (this.timer) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) this.timers.clear(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.send(batch);
  }

  /** Drops what is waiting (the connection closed). */
  cancel(): void {
    if (this.timer) this.timers.clear(this.timer);
    this.timer = null;
    this.pending = [];
  }
}

/** An RTCIceCandidate as the signal schema carries it (the browser's object has more, and getters). */
export function candidateOf(c: {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}): IceCandidate {
  return {
    candidate: c.candidate,
    sdpMid: c.sdpMid ?? null,
    sdpMLineIndex: c.sdpMLineIndex ?? null,
    usernameFragment: c.usernameFragment ?? null,
  };
}
