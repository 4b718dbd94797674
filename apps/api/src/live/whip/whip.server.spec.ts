import {
  BadRequestException,
  ConflictException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/config.js';
import { WhipOfferError, type WhipSessionOptions } from './whip-session.js';
import { WhipServer, type WhipSessionHandle, type WhipSessionStarter } from './whip.server.js';

const OFFER = ['v=0', 's=-', 'm=video 9 UDP/TLS/RTP/SAVPF 102', 'a=rtpmap:102 H264/90000', 'a=fmtp:102 packetization-mode=1', ''].join(
  '\r\n',
);

/** A session that ends when told to (stop or drop), and records which. */
class FakeSession implements WhipSessionHandle {
  readonly id: string;
  readonly ended: Promise<void>;
  how: 'stop' | 'drop' | null = null;
  private end!: () => void;
  constructor(n: number) {
    this.id = `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
    this.ended = new Promise((r) => (this.end = r));
  }
  stop(): void {
    this.how ??= 'stop';
    this.end();
  }
  drop(): void {
    this.how ??= 'drop';
    this.end();
  }
}

function server(opts: { maxSessions?: number; busyRooms?: string[]; enabled?: boolean } = {}) {
  const sessions: FakeSession[] = [];
  /** Keys whose live LiveService holds (encoderStopped ends it), and the keys it was asked to stop. */
  const liveKeys = new Set<string>();
  const stopped: string[] = [];
  const keyGate = { hold: false, release: () => undefined as void };
  const seen: WhipSessionOptions[] = [];
  let release: (() => void) | undefined;
  const gate = { hold: false };
  const starter: WhipSessionStarter = async (o) => {
    seen.push(o);
    if (gate.hold) await new Promise<void>((r) => (release = r));
    const session = new FakeSession(sessions.length + 1);
    sessions.push(session);
    return { session, answer: 'v=0 answer' };
  };
  const config: Pick<AppConfig, 'whip' | 'ffmpegPath' | 'browserLiveStallMs'> = {
    whip: { enabled: opts.enabled ?? true, portRange: undefined, hostAddresses: [], maxSessions: opts.maxSessions ?? 2 },
    ffmpegPath: 'ffmpeg',
    browserLiveStallMs: 12_000,
  };
  const live = {
    issueBrowserKey: async (_user: string, roomId: string) => {
      if (keyGate.hold) await new Promise<void>((r) => (keyGate.release = r));
      if ((opts.busyRooms ?? []).includes(roomId)) throw new ConflictException('This room is already live.');
      return `key-${roomId}`;
    },
    // The rooms' stream keys (encoders): `stream-<room>` for every room.
    encoderRoom: (key: string) => (key.startsWith('stream-') ? key.slice(7) : null),
    issueEncoderRelayKey: (roomId: string) => `relay-for-${roomId}`,
    encoderStopped: (key: string) => {
      stopped.push(key);
      return Promise.resolve(liveKeys.delete(key));
    },
  };
  const ingest = { enabled: true, publishUrl: (key: string) => `rtmp://127.0.0.1:1935/live/${key}` };
  const s = new WhipServer(live, ingest, config, pino({ level: 'silent' }), starter);
  return { s, sessions, seen, gate, keyGate, liveKeys, stopped, release: () => release?.() };
}

describe(WhipServer.name, () => {
  it('answers an offer with a session that publishes to the ingest with a one-time key', async () => {
    const t = server();
    const { id, answer } = await t.s.start('u1', 'room1', OFFER);
    expect(answer).toBe('v=0 answer');
    expect(id).toBe(t.sessions[0].id);
    expect(t.seen[0]).toMatchObject({ rtmpUrl: 'rtmp://127.0.0.1:1935/live/key-room1', stallMs: 5000, offer: OFFER });
    expect(t.s.size).toBe(1);
  });

  it('refuses a bad offer, a busy room and a server with WHIP off before starting anything', async () => {
    const t = server({ busyRooms: ['busy'] });
    await expect(t.s.start('u1', 'room1', 'hello')).rejects.toBeInstanceOf(BadRequestException);
    await expect(t.s.start('u1', 'busy', OFFER)).rejects.toBeInstanceOf(ConflictException);
    expect(t.seen).toHaveLength(0);
    await expect(server({ enabled: false }).s.start('u1', 'room1', OFFER)).rejects.toBeInstanceOf(NotFoundException);
    // The refusals gave their slots back.
    await t.s.start('u1', 'a', OFFER);
    await t.s.start('u1', 'b', OFFER);
    expect(t.s.size).toBe(2);
  });

  it('holds the limit under concurrent offers (a slot is reserved before any work) and frees it when a session ends', async () => {
    const t = server({ maxSessions: 1 });
    t.gate.hold = true;
    const first = t.s.start('u1', 'a', OFFER);
    await expect.poll(() => t.seen.length).toBe(1);
    await expect(t.s.start('u2', 'b', OFFER)).rejects.toBeInstanceOf(ServiceUnavailableException);
    t.release();
    await first;
    t.gate.hold = false;
    await expect(t.s.start('u2', 'b', OFFER)).rejects.toBeInstanceOf(ServiceUnavailableException);
    t.sessions[0].stop();
    await expect.poll(() => t.s.size).toBe(0);
    await expect(t.s.start('u2', 'b', OFFER)).resolves.toMatchObject({ answer: 'v=0 answer' });
  });

  it('answers 409 for a second session in the same room, 400 for an offer werift refuses, 503 for a fault of ours, and gives the slots back', async () => {
    const t = server({ maxSessions: 3 });
    await t.s.start('u1', 'room1', OFFER);
    await expect(t.s.start('u1', 'room1', OFFER)).rejects.toBeInstanceOf(ConflictException);
    const failing =
      (err: Error): WhipSessionStarter =>
      () =>
        Promise.reject(err);
    const config = {
      whip: { enabled: true, portRange: undefined, hostAddresses: [], maxSessions: 1 },
      ffmpegPath: 'ffmpeg',
      browserLiveStallMs: 12_000,
    };
    const live = {
      issueBrowserKey: () => Promise.resolve('k'),
      encoderRoom: () => null,
      issueEncoderRelayKey: () => 'k',
      encoderStopped: () => Promise.resolve(false),
    };
    const ingest = { enabled: true, publishUrl: (k: string) => k };
    const refused = new WhipServer(live, ingest, config, pino({ level: 'silent' }), failing(new WhipOfferError('bad m-line')));
    await expect(refused.start('u1', 'r', OFFER)).rejects.toBeInstanceOf(BadRequestException);
    await expect(refused.start('u1', 'r', OFFER)).rejects.toBeInstanceOf(BadRequestException);
    const broken = new WhipServer(live, ingest, config, pino({ level: 'silent' }), failing(new Error('no free UDP port')));
    await expect(broken.start('u1', 'r', OFFER)).rejects.toBeInstanceOf(ServiceUnavailableException);
    // With one slot, a second failure would be "full" (503 too): the message says which.
    await expect(broken.start('u1', 'r', OFFER)).rejects.toThrow(/failed on this server/);
    expect(broken.size).toBe(0);
  });

  it('stops a session only for the person who started it, in its room', async () => {
    const t = server();
    const { id } = await t.s.start('u1', 'room1', OFFER);
    expect(() => t.s.stop('u2', 'room1', id)).toThrow(NotFoundException);
    expect(() => t.s.stop('u1', 'room2', id)).toThrow(NotFoundException);
    expect(t.sessions[0].how).toBeNull();
    t.s.stop('u1', 'room1', id);
    expect(t.sessions[0].how).toBe('stop');
  });

  it("takes an encoder's offer with the room's stream key; its relay publishes with a one-time key standing for it", async () => {
    const t = server();
    await expect(t.s.startForEncoder('nope', OFFER)).rejects.toBeInstanceOf(UnauthorizedException);
    expect(t.seen).toHaveLength(0);
    await t.s.startForEncoder('stream-room1', OFFER);
    // The room's lasting key never reaches a command line.
    expect(t.seen[0].rtmpUrl).toBe('rtmp://127.0.0.1:1935/live/relay-for-room1');
    // One live per room, whichever way it came in.
    await expect(t.s.start('u1', 'room1', OFFER)).rejects.toBeInstanceOf(ConflictException);
  });

  it("stops an encoder's session only for the same key, then ends that key's live without the reconnect grace, also once the session is gone", async () => {
    const t = server();
    const { id } = await t.s.startForEncoder('stream-room1', OFFER);
    t.liveKeys.add('stream-room1');
    await expect(t.s.stopForEncoder('stream-room2', id)).rejects.toBeInstanceOf(NotFoundException);
    expect(() => t.s.stop('u1', 'room1', id)).toThrow(NotFoundException);
    expect(t.sessions[0].how).toBeNull();
    await t.s.stopForEncoder('stream-room1', id);
    expect(t.sessions[0].how).toBe('stop');
    // Once the relay is gone (the session ended), the live ends: a drop (OBS closes first) gets no grace.
    await expect.poll(() => t.stopped).toContain('stream-room1');
    // OBS's close ended the session before its DELETE came: the live still ends; nothing left is a 404.
    await t.s.startForEncoder('stream-room3', OFFER);
    t.liveKeys.add('stream-room3');
    t.sessions[1].drop();
    await expect.poll(() => t.s.size).toBe(0);
    await expect(t.s.stopForEncoder('stream-room3', t.sessions[1].id)).resolves.toBeUndefined();
    expect(t.liveKeys.has('stream-room3')).toBe(false);
    await expect(t.s.stopForEncoder('stream-room3', t.sessions[1].id)).rejects.toBeInstanceOf(NotFoundException);
  });

  it('drops every session when the server shuts down', async () => {
    const t = server();
    await t.s.start('u1', 'a', OFFER);
    await t.s.start('u1', 'b', OFFER);
    await t.s.onApplicationShutdown();
    expect(t.sessions.map((x) => x.how)).toEqual(['drop', 'drop']);
  });

  it('on shutdown while a key is being issued, starts no relay and gives the slot back', async () => {
    const t = server({ maxSessions: 1 });
    t.keyGate.hold = true;
    const opening = t.s.start('u1', 'a', OFFER);
    const shutdown = t.s.onApplicationShutdown();
    t.keyGate.release();
    await expect(opening).rejects.toThrow(/restarting/);
    await shutdown;
    expect(t.seen).toHaveLength(0);
  });

  it('on shutdown, waits for a session still starting and drops it too; refuses new offers meanwhile', async () => {
    const t = server();
    t.gate.hold = true;
    const starting = t.s.start('u1', 'a', OFFER);
    await expect.poll(() => t.seen.length).toBe(1);
    const shutdown = t.s.onApplicationShutdown();
    await expect(t.s.start('u1', 'b', OFFER)).rejects.toBeInstanceOf(ServiceUnavailableException);
    t.release();
    await expect(starting).rejects.toThrow(/restarting/);
    await shutdown;
    expect(t.sessions.map((x) => x.how)).toEqual(['drop']);
    expect(t.seen).toHaveLength(1);
    await expect.poll(() => t.s.size).toBe(0);
  });
});
