import { describe, expect, it } from 'vitest';
import type { PlaybackStateView } from '@reelroom/contracts';
import { PlaybackService } from '../../playback/playback.service.js';
import type { PlaybackMedia, PlaybackRepository } from '../../playback/playback.repository.js';
import { PresenceService } from '../../playback/presence.service.js';
import { RoomAccessPolicy } from '../../rooms/room-access.policy.js';
import { authAs, FakeSocket } from '../../testing/fake-socket.js';
import { MemoryPlaybackStore, MemoryWaitStore } from '../../testing/memory-playback.stores.js';
import { MemoryPresenceStore } from '../../testing/memory-presence.store.js';
import { MemoryRoomsRepository } from '../../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../../testing/recording.broadcaster.js';
import { silentLogger } from '../../testing/silent-logger.js';
import { SocketEvents } from '../socket-events.js';
import { PLAYBACK_SLOW_DOWN, PlaybackGateway } from './playback.gateway.js';
import { MemoryLimitStore } from '../../testing/memory-limit.store.js';

const R = 'A'.repeat(22);
const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

function setup() {
  const rooms = new MemoryRoomsRepository();
  const room = rooms.seed({ id: R, waitForEveryone: true }, 'host');
  rooms.seedMember(R, 'ana');
  const access = new RoomAccessPolicy(rooms);
  const broadcast = new RecordingBroadcaster();
  const presenceStore = new MemoryPresenceStore();
  const presence = new PresenceService(presenceStore, broadcast);
  const film: PlaybackMedia = { id: MEDIA, roomId: R, originalName: 'Film.mp4', status: 'ready', playable: true, durationSec: 60 };
  const repo = { room: async () => room, media: async () => film, live: async () => null } satisfies PlaybackRepository;
  const playback = new PlaybackService(new MemoryPlaybackStore(), new MemoryWaitStore(), repo, access, presence, broadcast, silentLogger);
  const gateway = new PlaybackGateway(playback, new MemoryLimitStore(), new SocketEvents(silentLogger), {
    playbackBurst: 10,
    playbackPerSec: 2,
  });
  const connect = async (userId: string, roomId: string | null = R) => {
    const socket = new FakeSocket(authAs(userId), { roomId: roomId ?? undefined });
    gateway.bind(socket);
    if (roomId) await presence.connect(socket.id, roomId, { userId, name: userId.toUpperCase(), role: 'viewer', isGuest: false });
    return socket;
  };
  return { connect, broadcast, presenceStore };
}

describe(PlaybackGateway.name, () => {
  it('answers a clock ping with its t0 and the server time, and keeps the round trip it reports', async () => {
    const t = setup();
    const s = await t.connect('ana');
    const before = Date.now();
    const pong = await s.send<{ t0: number; serverTime: number }>('time:ping', { t0: 123, rttMs: 80.4 });
    expect(pong.t0).toBe(123);
    expect(pong.serverTime).toBeGreaterThanOrEqual(before);
    await expect.poll(async () => (await t.presenceStore.get(R, 'ana'))?.rttMs).toBe(80);
    expect(await s.send('time:ping', { t0: 'soon' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Invalid time:ping payload/) as string,
    });
    expect(await s.send('time:ping', { t0: 1, rttMs: 60_000 })).toMatchObject({ ok: false });
    expect((await t.connect('bob', null)).listeners.has('time:ping')).toBe(true);
  });

  it('applies a command and acks the new state; a stale one gets an error and the current state', async () => {
    const t = setup();
    const [host, s] = [await t.connect('host'), await t.connect('ana')];
    const picked = await host.send<Reply<PlaybackStateView>>('sync:command', { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    expect(picked).toMatchObject({ ok: true, data: { mediaId: MEDIA, seq: 1 } });
    expect(t.broadcast.payloads('sync:state').map((v) => v.seq)).toEqual([1]);
    // Ana had not seen the host's change yet.
    const stale = await s.send<Reply<PlaybackStateView>>('sync:command', { type: 'play', baseSeq: 0 });
    expect(stale).toMatchObject({ ok: false, error: expect.stringMatching(/changed just before your command/) as string });
    expect(s.emitted).toEqual([{ event: 'sync:state', payload: expect.objectContaining({ seq: 1 }) as PlaybackStateView }]);
    expect(await s.send('sync:command', { type: 'rate', rate: 4, baseSeq: 1 })).toEqual({ ok: false, error: 'Invalid playback command.' });
    expect(await (await t.connect('ana', null)).send('sync:command', { type: 'play', baseSeq: 1 })).toEqual({
      ok: false,
      error: 'Join a room first.',
    });
  });

  it('rate-limits playback commands per person: a burst of 39 gets PLAYBACK_BURST through, then slow down', async () => {
    const t = setup();
    const [host, s] = [await t.connect('host'), await t.connect('ana')];
    expect((await host.send<Reply<PlaybackStateView>>('sync:command', { type: 'media', mediaId: MEDIA, baseSeq: 0 })).ok).toBe(true);
    const replies: Array<Reply<PlaybackStateView>> = [];
    let seq = 1;
    for (let i = 0; i < 39; i++) {
      const r = await s.send<Reply<PlaybackStateView>>('sync:command', { type: i % 2 ? 'pause' : 'play', baseSeq: seq });
      if (r.ok) seq = r.data.seq;
      replies.push(r);
    }
    expect(replies.filter((r) => r.ok)).toHaveLength(10);
    expect(replies[10]).toMatchObject({ ok: false, error: PLAYBACK_SLOW_DOWN, retryAfterMs: expect.any(Number) as number });
    // The host's bucket is their own.
    expect((await host.send<Reply<PlaybackStateView>>('sync:command', { type: 'pause', baseSeq: seq })).ok).toBe(true);
  });

  it('stores player reports in presence and lets a stall pause the room (wait for everyone)', async () => {
    const t = setup();
    const s = await t.connect('ana');
    await s.send('sync:command', { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    await s.send('sync:command', { type: 'play', baseSeq: 1 });
    s.fire('player:status', { state: 'buffering', driftMs: 0, noWait: false });
    await expect.poll(() => t.broadcast.payloads('sync:state').at(-1)?.paused).toBe(true);
    expect((await t.presenceStore.get(R, 'ana'))?.player).toEqual({ state: 'buffering', driftMs: 0, noWait: false });
  });
});
