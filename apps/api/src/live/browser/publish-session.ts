import type { Logger } from 'pino';
import { BROWSER_PUBLISH_SENTENCES, type BrowserPublishEndReason, type BrowserPublishMessage } from '@reelroom/contracts';
import type { RelayProcess } from './ffmpeg-relay.js';

/** The publish WebSocket as a session uses it (a fake in unit specs). */
export interface PublishChannel {
  send(message: BrowserPublishMessage): void;
  /** 1000 for a normal end, 4000 when the server dropped the publisher. */
  close(code: number): void;
}

export interface SessionLimits {
  /** No chunk for this long: the page stopped sending (a frozen tab, a dead link); the publisher is dropped. */
  stallMs: number;
  /** ffmpeg's unread input above this: the relay cannot keep up; the publisher is dropped. */
  maxPendingBytes: number;
  /** After the page stops, ffmpeg gets this long to flush and unpublish before it is killed. */
  flushMs: number;
}

/** Defaults; `stallMs` comes from BROWSER_LIVE_STALL_SEC. */
export const PUBLISH_LIMITS: SessionLimits = { stallMs: 12_000, maxPendingBytes: 8 * 1024 * 1024, flushMs: 10_000 };

export const CLOSE_NORMAL = 1000;
export const CLOSE_DROPPED = 4000;

/** ffmpeg's own words for input it cannot read (a page sending something that is not a recording). */
const BAD_INPUT =
  /invalid data|could not find codec|no such stream|matches no streams|error while decoding|EBML header parsing failed|moov atom/i;

/**
 * One browser publisher, from `ready` to the end: recorder chunks go to the relay's ffmpeg, which publishes
 * RTMP to our own ingest (from there it is an ordinary live). The end is one of:
 * - the page stops (closes the socket): ffmpeg's stdin is closed, it flushes and unpublishes cleanly, and
 *   the live ends as after OBS's Stop Streaming;
 * - the page falls behind or goes quiet (see SessionLimits): it is told why and dropped; ffmpeg is killed
 *   (no backlog is pushed into a live that is already late);
 * - ffmpeg stops on its own: the live was ended (the host, a closed room, a refused claim) or the input
 *   was unreadable; the page is told which.
 */
export class BrowserPublishSession {
  private stallTimer?: NodeJS.Timeout;
  private over = false;
  private bytes = 0;

  constructor(
    private readonly channel: PublishChannel,
    private readonly relay: RelayProcess,
    private readonly limits: SessionLimits,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.relay.exited.then((r) => this.relayExited(r));
    this.armStall();
    this.channel.send({ type: 'ready' });
  }

  /** One binary message from the page. */
  chunk(data: Buffer): void {
    if (this.over) return;
    this.bytes += data.length;
    this.relay.write(data);
    if (this.relay.pendingBytes > this.limits.maxPendingBytes) {
      this.log.warn({ pendingBytes: this.relay.pendingBytes }, 'browser publisher dropped: the relay is behind');
      return this.drop('lagging', BROWSER_PUBLISH_SENTENCES.lagging);
    }
    this.armStall();
  }

  /** A text message: the page sends only recorded media; anything else is a protocol error. */
  text(): void {
    this.drop('failed', 'Only recorded video can be sent on this connection.');
  }

  /** The page closed the socket (its Stop button, or it went away). */
  closed(): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.stallTimer);
    this.log.info({ bytes: this.bytes }, 'browser publisher stopped; relay flushing');
    this.relay.end();
    const kill = setTimeout(() => this.relay.kill(), this.limits.flushMs);
    kill.unref();
    void this.relay.exited.then(() => clearTimeout(kill));
  }

  /** The server is shutting down or dropping this publisher for a reason of its own. */
  drop(reason: BrowserPublishEndReason, message: string): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.stallTimer);
    this.relay.kill();
    this.channel.send({ type: 'ended', reason, message });
    this.channel.close(CLOSE_DROPPED);
  }

  private relayExited({ code, stderr }: { code: number | null; stderr: string }): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.stallTimer);
    const unreadable = BAD_INPUT.test(stderr);
    this.log.info({ code, stderr: stderr.slice(-300), bytes: this.bytes }, 'browser relay stopped on its own');
    this.channel.send(
      unreadable
        ? { type: 'ended', reason: 'failed', message: BROWSER_PUBLISH_SENTENCES.failed }
        : { type: 'ended', reason: 'ended', message: BROWSER_PUBLISH_SENTENCES.ended },
    );
    this.channel.close(unreadable ? CLOSE_DROPPED : CLOSE_NORMAL);
  }

  private armStall(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.log.warn({ stallMs: this.limits.stallMs }, 'browser publisher dropped: no video for too long');
      this.drop('lagging', BROWSER_PUBLISH_SENTENCES.stalled);
    }, this.limits.stallMs);
    this.stallTimer.unref();
  }
}
