import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WhipOfferError, WhipSession, type WhipRelay, type WhipSessionOptions } from './whip-session.js';

/** The relay ffmpeg, as the session drives it: records interrupt and kill; exits when the test says. */
class FakeRelay implements WhipRelay {
  readonly calls: string[] = [];
  readonly args: string[];
  readonly exited: Promise<{ code: number | null; stderr: string }>;
  private exit!: (code: number | null) => void;
  pendingBytes = 0;
  constructor(args: string[]) {
    this.args = args;
    this.exited = new Promise((resolve) => (this.exit = (code) => resolve({ code, stderr: '' })));
  }
  write(): void {}
  end(): void {}
  interrupt(): void {
    this.calls.push('interrupt');
  }
  kill(): void {
    this.calls.push('kill');
    this.exit(null);
  }
  /** ffmpeg finished by itself (after SIGINT: 255). */
  exits(code: number): void {
    this.exit(code);
  }
  /** The SDP file the relay reads (the argument after -i). */
  get sdpPath(): string {
    return this.args[this.args.indexOf('-i') + 1];
  }
}

/** An offer as a page makes it (sendonly H.264 and Opus), from a werift peer standing in for the browser. */
async function pageOffer(): Promise<string> {
  const page = new RTCPeerConnection({
    codecs: {
      video: [
        new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000, parameters: 'packetization-mode=1;profile-level-id=42e01f' }),
      ],
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
    },
  });
  page.addTransceiver('video', { direction: 'sendonly' });
  page.addTransceiver('audio', { direction: 'sendonly' });
  await page.setLocalDescription(await page.createOffer());
  const sdp = page.localDescription!.sdp;
  await page.close();
  return sdp;
}

function options(offer: string, relays: FakeRelay[], over: Partial<WhipSessionOptions> = {}): WhipSessionOptions {
  return {
    offer,
    rtmpUrl: 'rtmp://127.0.0.1:1935/live/one-time-key',
    ffmpegPath: 'ffmpeg',
    network: {},
    stallMs: 5000,
    disconnectGraceMs: 5000,
    startRelay: (_path, args) => {
      const relay = new FakeRelay(args);
      relays.push(relay);
      return relay;
    },
    log: pino({ level: 'silent' }),
    ...over,
  };
}

describe(WhipSession.name, () => {
  afterEach(() => vi.useRealTimers());

  it('answers a page offer, starts the relay on a private SDP file, and releases everything once the relay exits', async () => {
    const relays: FakeRelay[] = [];
    const { session, answer } = await WhipSession.start(options(await pageOffer(), relays));
    expect(answer).toMatch(/^v=0/);
    expect(answer).toMatch(/a=rtpmap:\d+ H264\/90000/);
    expect(answer).toContain('x-google-start-bitrate=2000');
    const relay = relays[0];
    expect(relay.args).toContain('rtmp://127.0.0.1:1935/live/one-time-key');
    // The relay reads RTP from loopback only, as its SDP file says.
    expect(readFileSync(relay.sdpPath, 'utf8')).toContain('a=source-filter: incl IN IP4 * 127.0.0.1');
    relay.exits(0);
    await session.ended;
    expect(existsSync(dirname(relay.sdpPath))).toBe(false);
  });

  it('refuses an offer werift cannot answer with WhipOfferError, after undoing the relay and its files', async () => {
    const relays: FakeRelay[] = [];
    const offer = (await pageOffer()).replace(/a=fingerprint:[^\r\n]*\r?\n/g, '').replace(/a=ice-ufrag:[^\r\n]*\r?\n/g, '');
    await expect(WhipSession.start(options(`${offer}garbage`, relays))).rejects.toBeInstanceOf(WhipOfferError);
    expect(relays[0].calls).toEqual(['kill']);
    await expect.poll(() => existsSync(dirname(relays[0].sdpPath))).toBe(false);
  });

  it('a clean stop: SIGINT first; the relay is killed only if it has not finished 3 s later; stop and drop after that do nothing', async () => {
    const relays: FakeRelay[] = [];
    const { session } = await WhipSession.start(options(await pageOffer(), relays));
    const relay = relays[0];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    session.stop();
    session.stop();
    expect(relay.calls).toEqual(['interrupt']);
    await vi.advanceTimersByTimeAsync(2999);
    expect(relay.calls).toEqual(['interrupt']);
    await vi.advanceTimersByTimeAsync(1);
    expect(relay.calls).toEqual(['interrupt', 'kill']);
    vi.useRealTimers();
    await session.ended;

    const finished = await WhipSession.start(options(await pageOffer(), relays));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    finished.session.stop();
    relays[1].exits(255); // ffmpeg flushed and unpublished in time: nothing to kill
    await vi.advanceTimersByTimeAsync(5000);
    expect(relays[1].calls).toEqual(['interrupt']);
  });

  it('ends the live when no video comes: the relay is killed after the first-video allowance (15 s)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const relays: FakeRelay[] = [];
    const offer = await pageOffer();
    const { session } = await WhipSession.start(options(offer, relays, { stallMs: 2000 }));
    await vi.advanceTimersByTimeAsync(14_900);
    expect(relays[0].calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(relays[0].calls).toEqual(['kill']);
    vi.useRealTimers();
    await session.ended;
  });
});
