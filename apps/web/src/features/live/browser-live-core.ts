import { BROWSER_PUBLISH_PATH } from '@reelroom/contracts';

/**
 * Recorder formats in the order we want them: H.264 is copied by the server's relay (no second encode),
 * VP8/VP9 are re-encoded there once. Chromium records H.264 in WebM; Safari records MP4.
 */
export const RECORDER_MIMES = [
  'video/webm;codecs=h264,opus',
  'video/mp4;codecs=avc1,opus',
  'video/mp4;codecs=avc1,mp4a.40.2',
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=vp9,opus',
  'video/webm',
] as const;

/** Pure: the first format this browser can record, or null. */
export function pickRecorderMime(isTypeSupported: (mime: string) => boolean): string | null {
  return RECORDER_MIMES.find((m) => isTypeSupported(m)) ?? null;
}

/**
 * Pure: about how much recorded time is still waiting in the WebSocket's send buffer, from the bytes it
 * holds and the recent recording rate. A link slower than the recording makes this grow without end.
 */
export function unsentMs(bufferedAmount: number, bytesPerMs: number | null): number {
  // Until the recorder has run a while its rate is unknown: judge nothing yet.
  if (bufferedAmount <= 0 || bytesPerMs === null) return 0;
  return bytesPerMs > 0 ? bufferedAmount / bytesPerMs : Infinity;
}

/** Pure: the publish WebSocket's URL for this page. */
export function publishSocketUrl(location: { protocol: string; host: string }, roomId: string, mime: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BROWSER_PUBLISH_PATH}?room=${encodeURIComponent(roomId)}&mime=${encodeURIComponent(mime)}`;
}

/** Recording rate over a sliding window of chunks (bytes per ms). */
export class RateMeter {
  private readonly samples: Array<{ at: number; bytes: number }> = [];

  constructor(private readonly windowMs = 5_000) {}

  add(at: number, bytes: number): void {
    this.samples.push({ at, bytes });
    while (this.samples.length > 1 && at - this.samples[0].at > this.windowMs) this.samples.shift();
  }

  /** Null until the window holds at least `minSpanMs` of recording (the first chunks say little about the rate). */
  bytesPerMs(minSpanMs = 1_000): number | null {
    if (this.samples.length < 2) return null;
    const span = this.samples[this.samples.length - 1].at - this.samples[0].at;
    if (span < minSpanMs) return null;
    const bytes = this.samples.slice(1).reduce((t, s) => t + s.bytes, 0);
    return bytes / span;
  }
}

/**
 * Pure: a WHIP answer that sends the page to the recorder socket instead, rather than stopping with the
 * server's sentence: everything but a refusal of the person or the room (401, 403, 409), which would be
 * the same over the socket and is shown. So WHIP off (404), full or failing on the server (503, 5xx), an
 * offer it cannot take (400, 413, 415) all fall back.
 */
export const whipFallsBack = (status: number): boolean => status !== 401 && status !== 403 && status !== 409;

/** off: no camera open; preview: camera open, not live; connecting: asking the server; live: sending. */
export type BrowserLiveStatus = 'off' | 'opening' | 'preview' | 'connecting' | 'live';

/**
 * Pure: the Go live panel's status line. The page is sending once WebRTC connects (or the relay said
 * ready), but the room sees the live only once the server has taken it and the first segments exist:
 * until the room's live is on air the line says so, rather than "You are live" over a live nobody sees
 * yet (or one the server refused).
 */
export function goLiveStatus(status: BrowserLiveStatus, room: { roomLive: boolean; roomOnAir: boolean }): string {
  if (status === 'connecting') return 'Connecting…';
  if (status === 'live')
    return room.roomOnAir ? 'You are live from this browser. Keep this tab open.' : 'Sending; the room sees you in a moment…';
  return room.roomLive ? 'The room is already live.' : 'Check your picture, then go live.';
}
