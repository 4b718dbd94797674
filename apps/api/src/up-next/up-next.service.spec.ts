import { afterEach, describe, expect, it } from 'vitest';
import { initialPlaybackState } from '@reelroom/sync';
import { PlaybackService, type SystemChat } from '../playback/playback.service.js';
import type { PlaybackMedia, PlaybackRepository } from '../playback/playback.repository.js';
import { PresenceService } from '../playback/presence.service.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MemoryPlaybackStore, MemoryWaitStore } from '../testing/memory-playback.stores.js';
import { MemoryPresenceStore } from '../testing/memory-presence.store.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { MemorySkipVoteStore, MemoryUpNextRepository } from '../testing/memory-up-next.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { silentLogger } from '../testing/silent-logger.js';
import { UpNextService } from './up-next.service.js';

const ROOM = 'r'.repeat(22);
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const host = { userId: 'host', name: 'Hana' };
const viewer = { userId: 'v1', name: 'Vic' };
const other = { userId: 'v2', name: 'Ola' };

const services: UpNextService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.onModuleDestroy();
});

async function setup(opts: { queueOpen?: boolean; skipVote?: boolean; present?: string[] } = {}) {
  const rooms = new MemoryRoomsRepository();
  const room = rooms.seed({ id: ROOM, queueOpen: !!opts.queueOpen, skipVote: !!opts.skipVote }, host.userId);
  for (const u of [viewer, other]) rooms.seedMember(ROOM, u.userId);
  const repo = new MemoryUpNextRepository();
  for (const id of [A, B, C]) repo.seedMedia(ROOM, id, { originalName: `${id.slice(0, 1)}.mp4` });
  const store = new MemoryPlaybackStore();
  const broadcast = new RecordingBroadcaster();
  const presenceStore = new MemoryPresenceStore();
  for (const userId of opts.present ?? []) {
    await presenceStore.change(ROOM, userId, {
      patch: {},
      create: { name: userId, role: 'viewer', isGuest: false, player: null, mutedUntil: null, rttMs: null },
      connDelta: 1,
      visible: true,
    });
  }
  const presence = new PresenceService(presenceStore, broadcast);
  const lines: string[] = [];
  const chat = { postSystem: async (_r: string, body: string) => lines.push(body) } satisfies SystemChat;
  const playbackRepo = {
    room: async () => room,
    media: async (id: string): Promise<PlaybackMedia | null> => ({
      id,
      roomId: ROOM,
      originalName: 'x',
      status: 'ready',
      playable: true,
      durationSec: 60,
    }),
    live: async () => null,
  } satisfies PlaybackRepository;
  const access = new RoomAccessPolicy(rooms);
  const playback = new PlaybackService(store, new MemoryWaitStore(), playbackRepo, access, presence, broadcast, silentLogger, chat);
  const service = new UpNextService(repo, new MemorySkipVoteStore(), playback, presence, access, broadcast, silentLogger, chat);
  services.push(service);
  return { service, store, repo, lines, broadcast, state: () => store.states.get(ROOM) ?? initialPlaybackState() };
}

const names = (q: { items: Array<{ name: string }> }) => q.items.map((i) => i.name);

describe(UpNextService.name, () => {
  it('lets host and moderators manage the list, viewers only when it is open, and adders remove their own', async () => {
    const t = await setup();
    await expect(t.service.add(viewer, ROOM, A)).rejects.toThrow('Only the host and moderators can change Up next in this room.');
    await t.service.add(host, ROOM, A);
    const q = await t.service.add(host, ROOM, B);
    expect(names(q)).toEqual(['1.mp4', '2.mp4']);
    await expect(t.service.add(host, ROOM, '44444444-4444-4444-8444-444444444444')).rejects.toThrow('This video is not in this room.');

    const open = await setup({ queueOpen: true });
    const mine = await open.service.add(viewer, ROOM, C);
    await expect(open.service.remove(other, ROOM, mine.items[0].id)).resolves.toMatchObject({ items: [] }); // open: anyone manages
    const locked = await setup();
    const hostItem = (await locked.service.add(host, ROOM, A)).items[0];
    await expect(locked.service.remove(viewer, ROOM, hostItem.id)).rejects.toThrow('Only the host and moderators');
  });

  it('moves items and broadcasts every change as queue:state', async () => {
    const t = await setup();
    await t.service.add(host, ROOM, A);
    await t.service.add(host, ROOM, B);
    const c = await t.service.add(host, ROOM, C);
    expect(names(await t.service.move(host, ROOM, c.items[2].id, 0))).toEqual(['3.mp4', '1.mp4', '2.mp4']);
    expect(names(await t.service.move(host, ROOM, c.items[2].id, 99))).toEqual(['1.mp4', '2.mp4', '3.mp4']);
    expect(t.broadcast.sent.filter((s) => s.event === 'queue:state')).toHaveLength(5);
  });

  it('starts the next item when the playing one ended by the server clock, once, and not before', async () => {
    const t = await setup();
    await t.service.add(host, ROOM, B);
    // A played from 0 at 60 s ago: 60 s long, so it ended now.
    t.store.states.set(ROOM, {
      ...initialPlaybackState(),
      mediaId: A,
      paused: false,
      position: 0,
      anchorServerTime: Date.now() - 61_000,
      seq: 4,
    });
    await Promise.all([t.service.onPlayerReport(ROOM), t.service.onPlayerReport(ROOM)]);
    expect(t.state()).toMatchObject({ mediaId: B, paused: false, seq: 5 });
    expect((await t.service.get(host, ROOM)).items).toEqual([]);
    expect(t.lines).toContain('Up next: 2.mp4');

    const early = await setup();
    await early.service.add(host, ROOM, B);
    early.store.states.set(ROOM, {
      ...initialPlaybackState(),
      mediaId: A,
      paused: false,
      position: 0,
      anchorServerTime: Date.now() - 10_000,
      seq: 4,
    });
    await early.service.onPlayerReport(ROOM);
    expect(early.state().mediaId).toBe(A);
  });

  it('skips for controllers only when they saw what plays, and says when nothing is up next', async () => {
    const t = await setup();
    await expect(t.service.skip(host, ROOM, null)).rejects.toThrow('Nothing is up next.');
    await t.service.add(host, ROOM, A);
    await t.service.add(host, ROOM, B);
    await t.service.skip(viewer, ROOM, null); // control is not locked
    expect(t.state().mediaId).toBe(A);
    await expect(t.service.skip(host, ROOM, null)).rejects.toThrow('What is playing changed just before that; look again.');
  });

  it('skips by a majority of those present, once, however the deciding votes interleave', async () => {
    const t = await setup({ skipVote: true, present: ['host', 'v1', 'v2'] });
    await t.service.add(host, ROOM, B);
    await t.service.add(host, ROOM, C);
    t.store.states.set(ROOM, { ...initialPlaybackState(), mediaId: A, seq: 2 });
    expect((await t.service.vote(viewer, ROOM, A)).vote).toMatchObject({ votes: 1, needed: 2 });
    await Promise.all([t.service.vote(other, ROOM, A), t.service.vote(host, ROOM, A)]);
    expect(t.state().mediaId).toBe(B);
    expect(names(await t.service.get(host, ROOM))).toEqual(['3.mp4']);

    const off = await setup();
    await off.service.add(host, ROOM, B);
    await expect(off.service.vote(viewer, ROOM, A)).rejects.toThrow('This room does not take skip votes.');
  });
});
