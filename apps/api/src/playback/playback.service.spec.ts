import { describe, expect, it } from 'vitest';
import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MemoryPlaybackStore, MemoryWaitStore } from '../testing/memory-playback.stores.js';
import { MemoryPresenceStore } from '../testing/memory-presence.store.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { silentLogger } from '../testing/silent-logger.js';
import { LIVE_IS_PERSONAL, LIVE_TAKES_OVER, NOT_ON_AIR, PlaybackService, REPLAY_READY, type SystemChat } from './playback.service.js';
import type { PlaybackLive, PlaybackMedia, PlaybackRepository, PlaybackRoom } from './playback.repository.js';
import { PresenceService } from './presence.service.js';

const ROOM = 'r'.repeat(22);
const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';

function setup(
  opts: {
    locked?: boolean;
    role?: 'host' | 'viewer' | null;
    media?: Partial<PlaybackMedia> | null;
    rtts?: number[];
    waitForEveryone?: boolean;
    live?: PlaybackLive | null;
  } = {},
) {
  const store = new MemoryPlaybackStore();
  const lines: string[] = [];
  const rooms = new MemoryRoomsRepository();
  const room = rooms.seed({ id: ROOM, controlLocked: !!opts.locked, waitForEveryone: !!opts.waitForEveryone }, 'owner');
  // The callers (u1, u2) have the role asked for; null: they are not members.
  const role = opts.role === undefined ? 'viewer' : opts.role;
  if (role) for (const u of ['u1', 'u2']) rooms.seedMember(ROOM, u, { role });
  const repo = {
    room: async (): Promise<PlaybackRoom> => room,
    media: async (): Promise<PlaybackMedia | null> =>
      opts.media === null
        ? null
        : { id: MEDIA, roomId: ROOM, originalName: 'Film.mp4', status: 'ready', playable: true, durationSec: 60, ...opts.media },
    live: async (): Promise<PlaybackLive | null> => opts.live ?? null,
  } satisfies PlaybackRepository;
  const broadcast = new RecordingBroadcaster();
  const presenceStore = new MemoryPresenceStore();
  const presence = new PresenceService(presenceStore, broadcast);
  const connected = (opts.rtts ?? []).map(async (rttMs, i) => {
    const create = { name: `P${i}`, role: 'viewer' as const, isGuest: false, player: null, mutedUntil: null, rttMs };
    await presenceStore.change(ROOM, `p${i}`, { patch: {}, create, connDelta: 1, visible: true });
  });
  const chat = { postSystem: async (_r: string, body: string) => lines.push(body) } satisfies SystemChat;
  const waits = new MemoryWaitStore();
  const service = new PlaybackService(store, waits, repo, new RoomAccessPolicy(rooms), presence, broadcast, silentLogger, chat);
  return {
    service,
    lines,
    waits,
    presence,
    ready: Promise.all(connected),
    get emitted() {
      return broadcast.sent.map(({ event, payload }) => ({ event, payload }));
    },
    get state(): PlaybackState {
      return store.states.get(ROOM) ?? initialPlaybackState();
    },
  };
}

const ana = { userId: 'u1', name: 'Ana' };
const bo = { userId: 'u2', name: 'Bo' };

describe(PlaybackService.name, () => {
  it('applies a permitted command, broadcasts it and posts the chat line', async () => {
    const t = setup();
    expect(await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).toMatchObject({
      ok: true,
      data: { mediaId: MEDIA, seq: 1 },
    });
    const r = await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
    expect(r).toMatchObject({ ok: true, data: { paused: false, seq: 2 } });
    expect(t.emitted.map((e) => e.event)).toEqual(['sync:state', 'sync:state']);
    await new Promise((r) => setTimeout(r, 0));
    expect(t.lines).toEqual(['Ana started Film.mp4', 'Ana pressed play at 0:00']);
  });

  it('schedules with a lead of twice the slowest round trip', async () => {
    const t = setup({ rtts: [50, 200] });
    await t.ready;
    await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    const before = Date.now();
    const r = await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
    expect(r.ok && r.data.anchorServerTime - before).toBeGreaterThanOrEqual(400);
    expect(r.ok && r.data.anchorServerTime - before).toBeLessThan(450);
  });

  it('refuses viewers in a locked room, strangers, invalid payloads, and media that is not ready or elsewhere', async () => {
    expect(await setup({ locked: true }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/host and moderators/) as string,
    });
    expect((await setup({ locked: true, role: 'host' }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).ok).toBe(
      true,
    );
    expect((await setup({ role: null }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).ok).toBe(false);
    expect(await setup().service.command(ana, ROOM, { type: 'rate', rate: 4, baseSeq: 0 })).toEqual({
      ok: false,
      error: 'Invalid playback command.',
    });
    expect(
      await setup({ media: { status: 'processing', playable: false } }).service.command(ana, ROOM, {
        type: 'media',
        mediaId: MEDIA,
        baseSeq: 0,
      }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/not ready/) as string });
    expect(
      await setup({ media: { status: 'processing', playable: true } }).service.command(ana, ROOM, {
        type: 'media',
        mediaId: MEDIA,
        baseSeq: 0,
      }),
    ).toMatchObject({ ok: true });
    expect(
      await setup({ media: { roomId: 'x'.repeat(22) } }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 }),
    ).toMatchObject({ ok: false });
  });

  it('drops a command based on a state someone else changed since, and hands back the current state', async () => {
    const t = setup();
    await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
    expect(await t.service.command(bo, ROOM, { type: 'pause', baseSeq: 1 })).toMatchObject({ ok: false, state: { seq: 2 } });
  });

  it("applies a person's quick second command sent before the reply to their first", async () => {
    const t = setup();
    await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    await t.service.command(ana, ROOM, { type: 'rate', rate: 1.5, baseSeq: 1 });
    expect(await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 })).toMatchObject({
      ok: true,
      data: { seq: 3, paused: false, rate: 1.5 },
    });
  });

  describe('wait for everyone', () => {
    const buffering = { state: 'buffering', driftMs: 0, noWait: false };
    const playing = { state: 'playing', driftMs: 0, noWait: false };

    async function playingRoom() {
      const t = setup({ waitForEveryone: true });
      for (const who of [ana, bo]) await t.presence.connect(`socket-${who.userId}`, ROOM, { ...who, role: 'viewer', isGuest: false });
      await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
      await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
      return t;
    }

    it('pauses the room for a member who stalls, and plays again once they are ready, then cools down', async () => {
      const t = await playingRoom();
      await t.service.playerStatus(bo, ROOM, buffering);
      expect(t.state).toMatchObject({ paused: true, seq: 3, by: { userId: 'system' } });
      expect(t.waits.waits.get(ROOM)).toMatchObject({ pausedSeq: 3, waitingFor: ['u2'] });
      await t.service.playerStatus(bo, ROOM, playing);
      expect(t.state).toMatchObject({ paused: false, seq: 4 });
      expect(t.waits.waits.has(ROOM)).toBe(false);
      expect(t.waits.cooling.has(ROOM)).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(t.lines.slice(-2)).toEqual(['Waiting for Bo to catch up…', 'Everyone is ready: playing']);
      // Cooling down: a stall right after does not pause again.
      await t.service.playerStatus(bo, ROOM, buffering);
      expect(t.state.paused).toBe(false);
    });

    it('ignores stalls of members who said "don\'t wait for me", and leaves the room alone when the option is off', async () => {
      const t = await playingRoom();
      await t.service.playerStatus(bo, ROOM, { ...buffering, noWait: true });
      expect(t.state.paused).toBe(false);
      const off = setup();
      await off.presence.connect('s', ROOM, { ...bo, role: 'viewer', isGuest: false });
      await off.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
      await off.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
      await off.service.playerStatus(bo, ROOM, buffering);
      expect(off.state.paused).toBe(false);
    });

    it('resumes only in the process that ended the wait, and drops the wait when someone else took over', async () => {
      const t = await playingRoom();
      await t.service.playerStatus(bo, ROOM, buffering);
      // Another API process saw Bo ready at the same moment and ended the wait first...
      const end = t.waits.end.bind(t.waits);
      t.waits.end = async () => false;
      await t.service.playerStatus(bo, ROOM, playing);
      expect(t.state).toMatchObject({ paused: true, seq: 3 }); // ...so this one does not play a second time
      expect(t.waits.cooling.has(ROOM)).toBe(false);
      t.waits.end = end;
      await t.service.playerStatus(bo, ROOM, buffering);
      await t.service.command(ana, ROOM, { type: 'seek', position: 10, baseSeq: 3 });
      await t.service.evaluateWait(ROOM);
      expect(t.waits.waits.has(ROOM)).toBe(false);
      expect(t.state).toMatchObject({ seq: 4, position: 10, paused: true });
    });
  });

  it('switches the room to its live only while it is on air, then keeps pause and seek to each person', async () => {
    const LIVE = '0b6a3c55-2f0e-4d1e-9d8e-5a1f7c2b9e10';
    const notYet = setup({ live: { streamId: LIVE, status: 'starting', mode: 'standard' } });
    expect(await notYet.service.command(ana, ROOM, { type: 'live', liveId: LIVE, position: 12, baseSeq: 0 })).toEqual({
      ok: false,
      error: NOT_ON_AIR,
    });
    const other = setup({ live: { streamId: MEDIA, status: 'live', mode: 'standard' } });
    expect(await other.service.command(ana, ROOM, { type: 'live', liveId: LIVE, position: 12, baseSeq: 0 })).toEqual({
      ok: false,
      error: NOT_ON_AIR,
    });

    const t = setup({ live: { streamId: LIVE, status: 'live', mode: 'standard' } });
    const r = await t.service.command(ana, ROOM, { type: 'live', liveId: LIVE, position: 12, baseSeq: 0 });
    expect(r).toMatchObject({ ok: true, data: { liveId: LIVE, mediaId: null, paused: false, position: 12, seq: 1 } });
    expect(await t.service.command(bo, ROOM, { type: 'pause', baseSeq: 1 })).toMatchObject({ ok: false, error: LIVE_IS_PERSONAL });
    expect(t.state.paused).toBe(false);
    // Back to a library video.
    expect(await t.service.command(bo, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 1 })).toMatchObject({
      ok: true,
      data: { mediaId: MEDIA },
    });
    expect(t.state.liveId).toBeUndefined();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.lines).toEqual(['Ana switched the room to the live', 'Bo started Film.mp4']);
  });

  describe('the room follows its live by itself (issue 8)', () => {
    const LIVE = '0b6a3c55-2f0e-4d1e-9d8e-5a1f7c2b9e10';
    const onAir = { live: { streamId: LIVE, status: 'live' as const, mode: 'standard' as const } };

    it('an idle room goes to a live that went on air, at live time 0 started a latency hint ahead', async () => {
      const t = setup(onAir);
      const before = Date.now();
      const r = await t.service.liveOnAir(ROOM, LIVE);
      expect(r).toMatchObject({ ok: true, data: { liveId: LIVE, mediaId: null, paused: false, position: 0, seq: 1 } });
      // Standard mode: 3 s hint, the first 1 s segment already there: everyone starts 2 s from now.
      expect(t.state.anchorServerTime - before).toBeGreaterThanOrEqual(2_000);
      expect(t.state.anchorServerTime - Date.now()).toBeLessThanOrEqual(2_000);
      expect(t.emitted.map((e) => e.event)).toEqual(['sync:state']);
      await new Promise((r) => setTimeout(r, 0));
      expect(t.lines).toEqual([LIVE_TAKES_OVER]);
      // Heard again (another API process, a reconnect): the room is on it already, nothing happens.
      expect(await t.service.liveOnAir(ROOM, LIVE)).toBeNull();
      expect(t.state.seq).toBe(1);
    });

    it('leaves a room watching a video, or one whose live is not on air', async () => {
      const playing = setup(onAir);
      await playing.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, play: true, baseSeq: 0 });
      expect(await playing.service.liveOnAir(ROOM, LIVE)).toBeNull();
      expect(playing.state).toMatchObject({ mediaId: MEDIA, seq: 1 });
      const pausedMidway = setup(onAir);
      await pausedMidway.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
      await pausedMidway.service.command(ana, ROOM, { type: 'seek', position: 30, baseSeq: 1 });
      expect(await pausedMidway.service.liveOnAir(ROOM, LIVE)).toBeNull();
      // A video chosen but never started is nothing to watch yet: the live takes over.
      const unstarted = setup(onAir);
      await unstarted.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
      expect(await unstarted.service.liveOnAir(ROOM, LIVE)).toMatchObject({ ok: true, data: { liveId: LIVE } });
      const starting = setup({ live: { ...onAir.live, status: 'starting' } });
      expect(await starting.service.liveOnAir(ROOM, LIVE)).toBeNull();
    });

    it('a live back from a dropped encoder moves the room back by the drop (its media has no gap), without a chat line', async () => {
      const t = setup(onAir);
      await t.service.liveOnAir(ROOM, LIVE);
      // The room has played the live for 20 s.
      t.state.anchorServerTime = Date.now() - 20_000;
      const r = await t.service.liveResumed(ROOM, LIVE, 6_000);
      expect(r).toMatchObject({ ok: true, data: { liveId: LIVE, paused: false, seq: 2 } });
      expect(t.state.position).toBeGreaterThan(13.9);
      expect(t.state.position).toBeLessThan(14.2);
      await new Promise((r) => setTimeout(r, 0));
      expect(t.lines).toEqual([LIVE_TAKES_OVER]);
      // Never before the live's start; and nothing for a room on a video or another live, or no drop.
      const early = setup(onAir);
      await early.service.liveOnAir(ROOM, LIVE);
      early.state.anchorServerTime = Date.now() - 2_000;
      await early.service.liveResumed(ROOM, LIVE, 9_000);
      expect(early.state.position).toBe(0);
      const elsewhere = setup(onAir);
      await elsewhere.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, play: true, baseSeq: 0 });
      expect(await elsewhere.service.liveResumed(ROOM, LIVE, 6_000)).toBeNull();
      expect(await t.service.liveResumed(ROOM, 'another-live', 6_000)).toBeNull();
      expect(await t.service.liveResumed(ROOM, LIVE, 0)).toBeNull();
      expect(t.state.seq).toBe(2);
    });

    it('a room still on the live goes to its recording, paused at the start, once it is ready', async () => {
      const t = setup(onAir);
      await t.service.liveOnAir(ROOM, LIVE);
      expect(await t.service.liveReplayReady(ROOM, LIVE, LIVE)).toMatchObject({
        ok: true,
        data: { mediaId: LIVE, paused: true, position: 0, seq: 2 },
      });
      expect(t.state.liveId).toBeUndefined();
      await new Promise((r) => setTimeout(r, 0));
      expect(t.lines).toEqual([LIVE_TAKES_OVER, REPLAY_READY]);
      // A room that moved on to a video before the recording was ready stays on it.
      const movedOn = setup(onAir);
      await movedOn.service.liveOnAir(ROOM, LIVE);
      await movedOn.service.command(bo, ROOM, { type: 'media', mediaId: MEDIA, play: true, baseSeq: 1 });
      expect(await movedOn.service.liveReplayReady(ROOM, LIVE, LIVE)).toBeNull();
      expect(movedOn.state).toMatchObject({ mediaId: MEDIA, paused: false });
    });
  });
});
