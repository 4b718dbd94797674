import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BROWSER_PUBLISH_SENTENCES, type BrowserPublishMessage } from '@reelroom/contracts';
import { silentLogger } from '../../testing/silent-logger.js';
import type { RelayProcess } from './ffmpeg-relay.js';
import { BrowserPublishSession, CLOSE_DROPPED, CLOSE_NORMAL, type PublishChannel } from './publish-session.js';

class FakeRelay implements RelayProcess {
  readonly written: Buffer[] = [];
  pendingBytes = 0;
  ended = false;
  killed = false;
  private resolveExit!: (r: { code: number | null; stderr: string }) => void;
  readonly exited = new Promise<{ code: number | null; stderr: string }>((r) => (this.resolveExit = r));
  write(chunk: Buffer): void {
    this.written.push(chunk);
  }
  end(): void {
    this.ended = true;
  }
  kill(): void {
    this.killed = true;
    this.exit(null, '');
  }
  exit(code: number | null, stderr: string): void {
    this.resolveExit({ code, stderr });
  }
}

class FakeChannel implements PublishChannel {
  readonly sent: BrowserPublishMessage[] = [];
  closedWith?: number;
  send(message: BrowserPublishMessage): void {
    this.sent.push(message);
  }
  close(code: number): void {
    this.closedWith = code;
  }
}

const LIMITS = { stallMs: 5_000, maxPendingBytes: 1000, flushMs: 10_000 };

function setup() {
  const relay = new FakeRelay();
  const channel = new FakeChannel();
  const session = new BrowserPublishSession(channel, relay, LIMITS, silentLogger);
  session.start();
  return { relay, channel, session };
}

describe(BrowserPublishSession.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says ready, then passes every chunk to the relay', () => {
    const { relay, channel, session } = setup();
    expect(channel.sent).toEqual([{ type: 'ready' }]);
    session.chunk(Buffer.from('a'));
    session.chunk(Buffer.from('b'));
    expect(Buffer.concat(relay.written).toString()).toBe('ab');
  });

  it('ends cleanly when the page stops: stdin closed, nothing killed, ffmpeg killed only if it never exits', async () => {
    const { relay, channel, session } = setup();
    session.chunk(Buffer.from('a'));
    session.closed();
    expect(relay.ended).toBe(true);
    expect(relay.killed).toBe(false);
    expect(channel.sent).toEqual([{ type: 'ready' }]);
    vi.advanceTimersByTime(LIMITS.flushMs);
    expect(relay.killed).toBe(true);
  });

  it('drops a publisher whose relay falls behind, saying so', () => {
    const { relay, channel, session } = setup();
    relay.pendingBytes = 2000;
    session.chunk(Buffer.alloc(10));
    expect(channel.sent.at(-1)).toEqual({ type: 'ended', reason: 'lagging', message: BROWSER_PUBLISH_SENTENCES.lagging });
    expect(channel.closedWith).toBe(CLOSE_DROPPED);
    expect(relay.killed).toBe(true);
  });

  it('drops a page that stops sending, after the stall time and not before', () => {
    const { relay, channel, session } = setup();
    vi.advanceTimersByTime(LIMITS.stallMs - 1);
    session.chunk(Buffer.from('a'));
    vi.advanceTimersByTime(LIMITS.stallMs - 1);
    expect(relay.killed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(channel.sent.at(-1)).toMatchObject({ type: 'ended', reason: 'lagging', message: BROWSER_PUBLISH_SENTENCES.stalled });
    expect(relay.killed).toBe(true);
  });

  it('tells the page the live ended when ffmpeg stops on its own (the host ended it, the room closed)', async () => {
    const { relay, channel } = setup();
    relay.exit(1, 'Error writing trailer: Broken pipe');
    await vi.waitFor(() => expect(channel.closedWith).toBe(CLOSE_NORMAL));
    expect(channel.sent.at(-1)).toMatchObject({ type: 'ended', reason: 'ended' });
  });

  it('tells the page its video could not be read when ffmpeg refuses the input', async () => {
    const { relay, channel } = setup();
    relay.exit(1, "Stream map '0:v:0' matches no streams.");
    await vi.waitFor(() => expect(channel.closedWith).toBe(CLOSE_DROPPED));
    expect(channel.sent.at(-1)).toMatchObject({ type: 'ended', reason: 'failed' });
  });

  it('refuses text messages (only recorded media is sent this way)', () => {
    const { relay, channel, session } = setup();
    session.text();
    expect(channel.sent.at(-1)).toMatchObject({ type: 'ended', reason: 'failed' });
    expect(relay.killed).toBe(true);
  });
});
