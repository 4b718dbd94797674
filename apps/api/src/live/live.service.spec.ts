import { ConflictException } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { LIVE_LOW_LATENCY_HINT_SEC, type LiveJob, type LiveStateView } from '@reelroom/contracts';
import { LiveQueue } from '../queue/live.queue.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MemoryLiveRepository } from '../testing/memory-live.repository.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { silentLogger } from '../testing/silent-logger.js';
import type { PlaybackService } from '../playback/playback.service.js';
import { LiveIngest, type IngestConnection, type PublishHandler } from './live-ingest.js';
import { hashStreamKey, LiveService, ONLY_HOST, publicRtmpUrl, STALE_LIVE_MS, toLiveView } from './live.service.js';

const R = 'A'.repeat(22);
const CLOSED = 'C'.repeat(22);
const RTMP = { configured: undefined, port: 1935, host: 'watch.example' };

class FakeIngest extends LiveIngest {
  handler?: PublishHandler;
  enabled = true;
  readonly ended: string[] = [];
  attach(handler: PublishHandler): void {
    this.handler = handler;
  }
  endStream(ingestName: string): void {
    this.ended.push(ingestName);
  }
  publishUrl(streamKey: string): string {
    return `rtmp://127.0.0.1:1935/live/${streamKey}`;
  }
  ingestUrl(ingestName: string): string {
    return `rtmp://127.0.0.1:1935/live/${ingestName}`;
  }
}

class MemoryLiveQueue extends LiveQueue {
  readonly jobs: LiveJob[] = [];
  async enqueue(job: LiveJob): Promise<void> {
    this.jobs.push(job);
  }
}

/** A publisher connection as the ingest hands it over; `closed` records a hang-up. */
class FakeConnection implements IngestConnection {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

const publisher = () => new FakeConnection();
const settle = () => new Promise((r) => setTimeout(r, 0));

/** The room's playback as LiveService tells it about a resumed live: what it was told. */
class RecordingPlayback implements Pick<PlaybackService, 'liveResumed'> {
  resumed: Array<{ roomId: string; liveId: string; dropMs: number }> = [];
  liveResumed(roomId: string, liveId: string, dropMs: number) {
    this.resumed.push({ roomId, liveId, dropMs });
    return Promise.resolve(null);
  }
}

/** A repository whose next writes of a drop or a resume fail (a database blip), or wait for the test. */
class FlakyResumeRepository extends MemoryLiveRepository {
  failResumes = 0;
  failReconnects = 0;
  /** While set, a drop's write waits for it. */
  holdReconnects?: Promise<void>;
  override async resumed(streamId: string): Promise<boolean> {
    if (this.failResumes > 0) {
      this.failResumes--;
      throw new Error('Connection terminated unexpectedly');
    }
    return super.resumed(streamId);
  }
  override async reconnecting(streamId: string): Promise<boolean> {
    await this.holdReconnects;
    if (this.failReconnects > 0) {
      this.failReconnects--;
      throw new Error('Connection terminated unexpectedly');
    }
    return super.reconnecting(streamId);
  }
}

async function setup<L extends MemoryLiveRepository = MemoryLiveRepository>(
  reconnectGraceMs = 0,
  makeLives: (rooms: MemoryRoomsRepository) => L = (rooms) => new MemoryLiveRepository(rooms) as L,
) {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: R }, 'host');
  rooms.seedMember(R, 'viewer');
  rooms.seed({ id: CLOSED }, 'host');
  const lives = makeLives(rooms);
  const ingest = new FakeIngest();
  const queue = new MemoryLiveQueue();
  const broadcast = new RecordingBroadcaster();
  const playback = new RecordingPlayback();
  const service = new LiveService(
    lives,
    ingest,
    queue,
    new RoomAccessPolicy(rooms),
    broadcast,
    silentLogger,
    { reconnectGraceMs },
    undefined,
    playback as unknown as PlaybackService,
  );
  await service.onModuleInit();
  const states = () => broadcast.sent.filter((s) => s.event === 'live:state').map((s) => (s.payload as LiveStateView).status);
  return { rooms, lives, ingest, queue, broadcast, service, states, playback };
}

/** A live on air whose encoder dropped without stopping (the grace runs): its key and stream name. */
async function liveThenDropped(t: Awaited<ReturnType<typeof setup>>) {
  const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
  const first = publisher();
  const name = t.ingest.handler?.publishing(streamKey, first) ?? '';
  await settle();
  t.lives.rows.get(R)!.status = 'live'; // the transcoder's first segments
  t.ingest.handler?.unpublished(name, first, false);
  await settle();
  return { streamKey, name };
}

describe(LiveService.name, () => {
  it('gives the host a 256-bit key, stores only its sha256, and refuses viewers', async () => {
    const t = await setup();
    const key = await t.service.createKey('host', R, 'standard', RTMP);
    expect(key).toMatchObject({ rtmpUrl: 'rtmp://watch.example:1935/live', mode: 'standard' });
    expect(key.streamKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t.lives.rows.get(R)?.streamKeyHash).toBe(hashStreamKey(key.streamKey));
    expect(JSON.stringify([...t.lives.rows.values()])).not.toContain(key.streamKey);
    await expect(t.service.createKey('viewer', R, 'standard', RTMP)).rejects.toThrow(ONLY_HOST);
  });

  it('keeps low-latency mode with the key and hands it to the live transcode', async () => {
    const t = await setup();
    const key = await t.service.createKey('host', R, 'low', RTMP);
    expect(key.mode).toBe('low');
    const name = t.ingest.handler?.publishing(key.streamKey, publisher());
    expect(name).toMatch(/^[0-9a-f]{32}$/);
    await settle();
    expect(t.queue.jobs).toEqual([expect.objectContaining({ mode: 'low' })]);
    expect((await t.service.view(R)).latencyHintSec).toBe(LIVE_LOW_LATENCY_HINT_SEC);
  });

  it('accepts a known key, reserves the live, queues a transcode that reads the internal name (never the key)', async () => {
    const t = await setup();
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    const name = t.ingest.handler?.publishing(streamKey, publisher());
    expect(name).toMatch(/^[0-9a-f]{32}$/);
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('starting');
    expect(t.queue.jobs).toEqual([
      { liveId: t.lives.rows.get(R)?.streamId, roomId: R, ingestUrl: `rtmp://127.0.0.1:1935/live/${name}`, mode: 'standard' },
    ]);
    expect(JSON.stringify(t.queue.jobs)).not.toContain(streamKey);
    expect(t.ingest.handler?.playable(name!)).toBe(true);
    expect(t.ingest.handler?.playable('f'.repeat(32))).toBe(false);
    expect(t.states()).toEqual(['starting']);
  });

  it('hangs up on its publisher when the transcoder ended the live on a bound, and the room hears why', async () => {
    const t = await setup();
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    const p = publisher();
    const name = t.ingest.handler?.publishing(streamKey, p);
    await settle();
    const liveId = t.lives.rows.get(R)!.streamId!;
    // A progress ring that changed nothing that concerns the publisher (the live became playable).
    await t.service.transcoderChanged(R, liveId);
    expect(p.closed).toBe(false);
    // The transcoder wrote `ended` with its reason, then rang.
    Object.assign(t.lives.rows.get(R)!, { status: 'ended', endReason: 'disk-limit' });
    await t.service.transcoderChanged(R, liveId);
    expect(p.closed).toBe(true);
    expect(t.ingest.ended).toEqual([name]);
    const last = t.broadcast.sent.filter((s) => s.event === 'live:state').at(-1)?.payload as LiveStateView;
    expect(last).toMatchObject({ status: 'ended', endReason: 'disk-limit' });
    // The room may go live again at once.
    expect(t.ingest.handler?.publishing(streamKey, publisher())).not.toBeNull();
  });

  it('refuses an unknown or malformed key and a second publisher for the same room, synchronously', async () => {
    const t = await setup();
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    expect(t.ingest.handler?.publishing('B'.repeat(43), publisher())).toBeNull();
    expect(t.ingest.handler?.publishing('../etc', publisher())).toBeNull();
    expect(t.ingest.handler?.publishing(streamKey, publisher())).not.toBeNull();
    expect(t.ingest.handler?.publishing(streamKey, publisher())).toBeNull();
    await settle();
    expect(t.queue.jobs).toHaveLength(1);
  });

  it("names the room of an encoder's WHIP key: none for unknown or malformed keys, 409 while live, the same encoder again within the grace", async () => {
    const t = await setup(60_000);
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    expect(t.service.encoderRoom(streamKey)).toBe(R);
    expect(t.service.encoderRoom('B'.repeat(43))).toBeNull();
    expect(t.service.encoderRoom('../etc')).toBeNull();
    const first = publisher();
    const name = t.ingest.handler?.publishing(streamKey, first) ?? '';
    await settle();
    expect(() => t.service.encoderRoom(streamKey)).toThrow(ConflictException);
    t.lives.rows.get(R)!.status = 'live';
    t.ingest.handler?.unpublished(name, first, false);
    await settle();
    expect(t.service.encoderRoom(streamKey)).toBe(R);
    t.service.onModuleDestroy();
  });

  it("gives an encoder's WHIP relay a one-time key that stands for the room key (same live across a drop), and its DELETE ends the live at once", async () => {
    const t = await setup(60_000);
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    // A key that names no room gets no relay key (WhipServer asks encoderRoom first).
    expect(t.service.encoderRoom('B'.repeat(43))).toBeNull();
    const relayKey = t.service.issueEncoderRelayKey(t.service.encoderRoom(streamKey)!, streamKey);
    expect(relayKey).not.toBe(streamKey);
    const first = publisher();
    const name = t.ingest.handler?.publishing(relayKey, first) ?? '';
    expect(name).not.toBe('');
    // Good once.
    expect(t.ingest.handler?.publishing(relayKey, publisher())).toBeNull();
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('starting');
    t.lives.rows.get(R)!.status = 'live';
    // OBS reconnects over WHIP within the grace: a new relay key resumes the same live.
    t.ingest.handler?.unpublished(name, first, false);
    await settle();
    const again = publisher();
    expect(t.ingest.handler?.publishing(t.service.issueEncoderRelayKey(R, streamKey), again)).toBe(name);
    // OBS closes its connection (a drop: the grace begins), then sends DELETE: the live ends now.
    t.ingest.handler?.unpublished(name, again, false);
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('starting');
    expect(await t.service.encoderStopped(streamKey)).toBe(true);
    expect(t.lives.rows.get(R)?.status).toBe('ended');
    expect(await t.service.encoderStopped(streamKey)).toBe(false);
    t.service.onModuleDestroy();
  });

  it('hangs up on a publisher whose room closed meanwhile: no job, the row untouched', async () => {
    const t = await setup();
    const { streamKey } = await t.service.createKey('host', CLOSED, 'standard', RTMP);
    t.rooms.rooms.get(CLOSED)!.closedAt = new Date();
    const p = publisher();
    expect(t.ingest.handler?.publishing(streamKey, p)).not.toBeNull();
    await settle();
    expect(p.closed).toBe(true);
    expect(t.queue.jobs).toEqual([]);
    expect(t.lives.rows.get(CLOSED)?.status).toBe('idle');
  });

  it('ends the live when the publisher leaves and tells the room; the key then starts a new live', async () => {
    const t = await setup();
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    const p = publisher();
    const name = t.ingest.handler?.publishing(streamKey, p) ?? '';
    await settle();
    const first = t.lives.rows.get(R)?.streamId;
    t.ingest.handler?.unpublished(name, p, true);
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('ended');
    expect(t.states()).toEqual(['starting', 'ended']);
    expect(t.ingest.ended).toEqual([name]);
    expect(t.ingest.handler?.playable(name)).toBe(false);
    expect(t.ingest.handler?.publishing(streamKey, publisher())).not.toBe(name);
    await settle();
    expect(t.lives.rows.get(R)?.streamId).not.toBe(first);
  });

  it('rotating stops the old key; ending disables the key and hangs up on the publisher', async () => {
    const t = await setup();
    const old = await t.service.createKey('host', R, 'standard', RTMP);
    const fresh = await t.service.rotateKey('host', R, RTMP);
    expect(t.ingest.handler?.publishing(old.streamKey, publisher())).toBeNull();
    const p = publisher();
    expect(t.ingest.handler?.publishing(fresh.streamKey, p)).not.toBeNull();
    await settle();
    await t.service.endLive('host', R);
    expect(p.closed).toBe(true);
    expect(t.lives.rows.get(R)).toMatchObject({ streamKeyHash: null, status: 'ended' });
    expect(t.ingest.handler?.publishing(fresh.streamKey, publisher())).toBeNull();
  });

  it('lets the key start a new live over one left running by a crashed API process, but not over a live one', async () => {
    const t = await setup();
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    // Another process's live, still beating: refused.
    Object.assign(t.lives.rows.get(R)!, { status: 'live', streamId: 'other' });
    t.lives.beats.set('other', new Date());
    const refused = publisher();
    t.ingest.handler?.publishing(streamKey, refused);
    await settle();
    expect(refused.closed).toBe(true);
    // The same live, silent for longer than STALE_LIVE_MS: its process is gone; a new live starts.
    t.lives.beats.set('other', new Date(Date.now() - STALE_LIVE_MS - 1000));
    const fresh = publisher();
    t.ingest.handler?.publishing(streamKey, fresh);
    await settle();
    expect(fresh.closed).toBe(false);
    expect(t.lives.rows.get(R)).toMatchObject({ status: 'starting' });
    expect(t.lives.rows.get(R)?.streamId).not.toBe('other');
  });

  it('tries a failed resume write again at the heartbeat: the room does not stay on "Reconnecting…" for a live that goes on', async () => {
    const t = await setup(60_000, (rooms) => new FlakyResumeRepository(rooms));
    const { streamKey } = await liveThenDropped(t);
    t.lives.failResumes = 1;
    t.ingest.handler?.publishing(streamKey, publisher());
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('starting');
    expect(t.playback.resumed).toEqual([]);
    await t.service.heartbeat();
    expect(t.lives.rows.get(R)?.status).toBe('live');
    expect(t.playback.resumed).toHaveLength(1);
    expect(t.states().at(-1)).toBe('live');
    t.service.onModuleDestroy();
  });

  it('a second drop before a failed resume write was retried still owes the room its live and both drops', async () => {
    const t = await setup(60_000, (rooms) => new FlakyResumeRepository(rooms));
    const { streamKey, name } = await liveThenDropped(t);
    await new Promise((r) => setTimeout(r, 20));
    t.lives.failResumes = 1;
    const second = publisher();
    t.ingest.handler?.publishing(streamKey, second);
    await settle();
    t.ingest.handler?.unpublished(name, second, false);
    await settle();
    await new Promise((r) => setTimeout(r, 20));
    t.ingest.handler?.publishing(streamKey, publisher());
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('live');
    expect(t.playback.resumed).toHaveLength(1);
    expect(t.playback.resumed[0].dropMs).toBeGreaterThanOrEqual(35);
    t.service.onModuleDestroy();
  });

  it('still owes the live when the second drop cannot be written either', async () => {
    const t = await setup(60_000, (rooms) => new FlakyResumeRepository(rooms));
    const { streamKey, name } = await liveThenDropped(t);
    t.lives.failResumes = 1;
    const second = publisher();
    t.ingest.handler?.publishing(streamKey, second);
    await settle();
    t.lives.failReconnects = 1;
    t.ingest.handler?.unpublished(name, second, false);
    await settle();
    t.ingest.handler?.publishing(streamKey, publisher());
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('live');
    expect(t.playback.resumed).toHaveLength(1);
    t.service.onModuleDestroy();
  });

  it('records a resume that came back while the drop was still being written', async () => {
    const t = await setup(60_000, (rooms) => new FlakyResumeRepository(rooms));
    let release = () => undefined as void;
    t.lives.holdReconnects = new Promise<void>((r) => (release = r));
    const { streamKey } = await liveThenDropped(t);
    t.ingest.handler?.publishing(streamKey, publisher());
    await settle();
    release();
    await expect.poll(() => t.lives.rows.get(R)?.status).toBe('live');
    await expect.poll(() => t.playback.resumed.length).toBe(1);
    t.service.onModuleDestroy();
  });

  it('ends a live whose room was closed, at the next key refresh', async () => {
    const t = await setup();
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    const p = publisher();
    t.ingest.handler?.publishing(streamKey, p);
    await settle();
    await t.service.refreshKeys();
    expect(p.closed).toBe(false);
    t.rooms.rooms.get(R)!.closedAt = new Date();
    await t.service.refreshKeys();
    expect(p.closed).toBe(true);
    expect(t.lives.rows.get(R)?.status).toBe('ended');
  });

  it('gives a dropped encoder the grace: "starting" meanwhile, the same live and stream name when it returns', async () => {
    const t = await setup(60_000);
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    const first = publisher();
    const name = t.ingest.handler?.publishing(streamKey, first) ?? '';
    await settle();
    t.lives.rows.get(R)!.status = 'live'; // the transcoder's first segments
    const liveId = t.lives.rows.get(R)?.streamId;
    t.ingest.handler?.unpublished(name, first, false);
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('starting');
    expect(t.ingest.ended).toEqual([]);
    expect(t.ingest.handler?.playable(name)).toBe(true);
    const droppedFor = 30;
    await new Promise((r) => setTimeout(r, droppedFor));
    const again = publisher();
    expect(t.ingest.handler?.publishing(streamKey, again)).toBe(name);
    await settle();
    expect(t.lives.rows.get(R)).toMatchObject({ status: 'live', streamId: liveId });
    expect(t.queue.jobs).toHaveLength(1);
    // The room's live position is told how long the live was away (it moves back by that much).
    expect(t.playback.resumed.map((r) => [r.roomId, r.liveId])).toEqual([[R, liveId]]);
    expect(t.playback.resumed[0].dropMs).toBeGreaterThanOrEqual(droppedFor - 5);
    // The old connection's late close changes nothing; a clean stop of the new one ends the live.
    t.ingest.handler?.unpublished(name, first, false);
    t.ingest.handler?.unpublished(name, again, true);
    await settle();
    expect(t.lives.rows.get(R)?.status).toBe('ended');
    expect(t.states()).toEqual(['starting', 'starting', 'live', 'ended']);
    t.service.onModuleDestroy();
  });

  it('does not take the hang-ups of its own shutdown for drops (the transcoder ends those lives)', async () => {
    const t = await setup(60_000);
    const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
    const p = publisher();
    const name = t.ingest.handler?.publishing(streamKey, p) ?? '';
    await settle();
    t.service.onModuleDestroy();
    t.ingest.handler?.unpublished(name, p, false);
    await settle();
    expect(t.states()).toEqual(['starting']);
    expect(t.ingest.ended).toEqual([]);
  });

  it('ends the live when the grace runs out', async () => {
    vi.useFakeTimers();
    try {
      const t = await setup(10_000);
      const { streamKey } = await t.service.createKey('host', R, 'standard', RTMP);
      const p = publisher();
      const name = t.ingest.handler?.publishing(streamKey, p) ?? '';
      await vi.advanceTimersByTimeAsync(0);
      t.ingest.handler?.unpublished(name, p, false);
      await vi.advanceTimersByTimeAsync(9_000);
      expect(t.lives.rows.get(R)?.status).toBe('starting');
      await vi.advanceTimersByTimeAsync(1_500);
      expect(t.lives.rows.get(R)?.status).toBe('ended');
      expect(t.ingest.ended).toEqual([name]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe(toLiveView.name, () => {
  it('shows the playlist only while live and the replay only once ended', () => {
    const base = {
      roomId: R,
      streamKeyHash: null,
      mode: 'standard' as const,
      streamId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11',
      startedAt: new Date(0),
      endedAt: null,
      replayMediaId: null,
      endReason: null,
    };
    expect(toLiveView(null)).toMatchObject({ status: 'idle', playbackUrl: null, endReason: null });
    expect(toLiveView({ ...base, status: 'ended', endReason: 'max-duration' }).endReason).toBe('max-duration');
    expect(toLiveView({ ...base, status: 'live', endReason: 'max-duration' }).endReason).toBeNull();
    expect(toLiveView({ ...base, status: 'starting' }).playbackUrl).toBeNull();
    expect(toLiveView({ ...base, status: 'live' }).playbackUrl).toBe(`/media/${base.streamId}/master.m3u8`);
    // The live's id goes with it (the room's playback names it), and stays after the end (the replay's id).
    expect(toLiveView({ ...base, status: 'live' }).liveId).toBe(base.streamId);
    expect(toLiveView({ ...base, status: 'ended' }).liveId).toBe(base.streamId);
    expect(toLiveView(null).liveId).toBeNull();
    expect(toLiveView({ ...base, status: 'ended', replayMediaId: base.streamId })).toMatchObject({
      playbackUrl: null,
      replayMediaId: base.streamId,
    });
  });
});

describe(publicRtmpUrl.name, () => {
  it('uses RTMP_PUBLIC_URL, else the page host with the RTMP port', () => {
    expect(publicRtmpUrl({ configured: 'rtmps://live.example/live', port: 1935, host: 'x' })).toBe('rtmps://live.example/live');
    expect(publicRtmpUrl({ configured: undefined, port: 1936, host: 'watch.example' })).toBe('rtmp://watch.example:1936/live');
  });
});
