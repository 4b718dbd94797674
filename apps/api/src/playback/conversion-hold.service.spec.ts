import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MemoryConversionHoldStore, MemoryPlaybackStore, MemoryWaitStore } from '../testing/memory-playback.stores.js';
import { MemoryPresenceStore } from '../testing/memory-presence.store.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { silentLogger } from '../testing/silent-logger.js';
import { ConversionHoldService } from './conversion-hold.service.js';
import type { PlaybackMedia, PlaybackRepository, PlaybackRoom } from './playback.repository.js';
import { PlaybackService, type SystemChat } from './playback.service.js';
import { PresenceService } from './presence.service.js';

const ROOM = 'r'.repeat(22);
const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';

function setup() {
  const store = new MemoryPlaybackStore();
  const holds = new MemoryConversionHoldStore();
  const rooms = new MemoryRoomsRepository();
  const room = rooms.seed({ id: ROOM }, 'owner');
  const media: PlaybackMedia = {
    id: MEDIA,
    roomId: ROOM,
    originalName: 'Film.mp4',
    status: 'processing',
    playable: true,
    durationSec: 100,
  };
  const repo = {
    room: async (): Promise<PlaybackRoom> => room,
    media: async () => ({ ...media }),
    live: async () => null,
  } satisfies PlaybackRepository;
  const lines: string[] = [];
  const chat = { postSystem: async (_r: string, body: string) => lines.push(body) } satisfies SystemChat;
  const broadcast = new RecordingBroadcaster();
  const presence = new PresenceService(new MemoryPresenceStore(), broadcast);
  const playback = new PlaybackService(
    store,
    new MemoryWaitStore(),
    repo,
    new RoomAccessPolicy(rooms),
    presence,
    broadcast,
    silentLogger,
    chat,
  );
  const service = new ConversionHoldService(store, holds, repo, playback, silentLogger);
  /** The room plays MEDIA from `position`, as of now. */
  const play = (position: number) =>
    store.states.set(ROOM, { ...initialPlaybackState(), mediaId: MEDIA, paused: false, position, anchorServerTime: Date.now(), seq: 4 });
  return {
    service,
    holds,
    lines,
    media,
    play,
    get state(): PlaybackState {
      return store.states.get(ROOM) ?? initialPlaybackState();
    },
    get broadcasts() {
      return broadcast.sent.filter((s) => s.event === 'sync:state').length;
    },
  };
}

describe(ConversionHoldService.name, () => {
  it('holds the room before the converted edge and plays on once the encoder is ahead again', async () => {
    const t = setup();
    t.play(47);
    await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 50 });
    expect(t.state).toMatchObject({ paused: true, position: 46, seq: 5 });
    expect(t.holds.holds.get(ROOM)).toEqual({ mediaId: MEDIA, pausedSeq: 5 });
    expect(t.broadcasts).toBe(1);

    await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 52 });
    expect(t.state.paused).toBe(true);

    await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 60 });
    expect(t.state).toMatchObject({ paused: false, position: 46, seq: 6 });
    expect(t.holds.holds.size).toBe(0);
    await expect.poll(() => t.lines).toEqual(['Waiting for the conversion to catch up…', 'Converted far enough: playing']);
  });

  describe('with the pace of the reports', () => {
    afterEach(() => vi.useRealTimers());

    it('lets a room start a video at its first segment when the encoder outruns it, from reports heard before the room picked it', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const t = setup();
      // 100 s video: 1 % a second before anyone plays it is 1 s of media a second (too slow to leave alone)...
      vi.setSystemTime(0);
      await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 0 });
      vi.setSystemTime(1_000);
      await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 1 });
      vi.setSystemTime(2_000);
      await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 3 });
      // ...then 3 % in 2 s, 1.5 s a second: the room starts at 0 with 3 s converted and plays on.
      t.play(0);
      await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 3 });
      expect(t.state.paused).toBe(false);
      expect(t.holds.holds.size).toBe(0);
    });

    it('holds the same start when the encoder is slower than the room', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const t = setup();
      vi.setSystemTime(0);
      await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 0 });
      vi.setSystemTime(3_000);
      t.play(0);
      await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 2 });
      expect(t.state).toMatchObject({ paused: true, position: 0 });
    });
  });

  it('plays on when the job completes (no room id in that event)', async () => {
    const t = setup();
    t.play(49);
    await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 50 });
    expect(t.state.paused).toBe(true);
    t.media.status = 'ready';
    await t.service.mediaAdvanced({ mediaId: MEDIA, percent: 100 });
    expect(t.state.paused).toBe(false);
  });

  it('leaves a room that plays another video alone, and forgets its hold when someone else takes over', async () => {
    const t = setup();
    t.play(49);
    await t.service.mediaAdvanced({ mediaId: '0f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11', roomId: ROOM, percent: 1 });
    expect(t.state.paused).toBe(false);

    await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 50 });
    t.play(20); // the host pressed play elsewhere (a new seq)
    await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 51 });
    expect(t.holds.holds.size).toBe(0);
    expect(t.state.paused).toBe(false);
  });
});

describe(`${ConversionHoldService.name}, racing the job's completion`, () => {
  it('plays on when the video became ready between the decision to hold and the hold being recorded', async () => {
    const t = setup();
    t.play(49);
    // The row turns ready while the hold is being recorded (the job's one "completed" event found no hold).
    const begin = t.holds.begin.bind(t.holds);
    t.holds.begin = async (...args) => {
      await begin(...args);
      t.media.status = 'ready';
    };
    await t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 50 });
    expect(t.state).toMatchObject({ paused: false, seq: 6 });
    expect(t.holds.holds.size).toBe(0);
  });
});

describe(`${ConversionHoldService.name}, in several API processes`, () => {
  it('holds once when two processes hear the same report', async () => {
    const t = setup();
    t.play(49);
    await Promise.all([
      t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 50 }),
      t.service.mediaAdvanced({ mediaId: MEDIA, roomId: ROOM, percent: 50 }),
    ]);
    expect(t.state).toMatchObject({ paused: true, seq: 5 });
    expect(t.broadcasts).toBe(1);
  });
});
