import { BadRequestException, NotFoundException, ServiceUnavailableException, UnsupportedMediaTypeException } from '@nestjs/common';
import { ConflictException, ForbiddenException } from '@nestjs/common';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MediaView, TranscodeJob } from '@reelroom/contracts';
import { MediaService } from './media.service.js';
import type { MediaRepository, MediaRecord } from './media.repository.js';
import type { MediaStore } from '../storage/media.store.js';
import type { TranscodeQueue } from '../queue/transcode.queue.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { MemoryUploadReservations } from '../testing/memory-upload-reservations.js';
import type { UploadRecord } from '../uploads/uploads.repository.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { silentLogger } from '../testing/silent-logger.js';

const MP4_HEAD = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(20)]);

class Fakes {
  rows = new Map<string, MediaRecord>();
  files = new Map<string, Buffer>([['.incoming/1', MP4_HEAD]]);
  adopted: string[] = [];
  removed: string[] = [];
  discarded: string[] = [];
  queued: TranscodeJob[] = [];
  queueDown = false;
  broadcast = new RecordingBroadcaster();
  get updates(): MediaView[] {
    return this.broadcast.payloads('media:updated');
  }

  repo = {
    create: async (
      d: { id: string; roomId: string; uploaderId: string; originalName: string; sizeBytes: number },
      reservationId?: string,
    ) => {
      const now = new Date();
      if (reservationId) this.reservations.finish(reservationId);
      const row: MediaRecord = {
        ...d,
        sizeBytes: BigInt(d.sizeBytes),
        status: 'queued',
        kind: 'video',
        etaSec: null,
        playable: false,
        hasPoster: false,
        hasStoryboard: false,
        storageId: null,
        processingStartedAt: null,
        progress: 0,
        sourceUrl: null,
        importedBytes: null,
        importTotalBytes: null,
        error: null,
        durationSec: null,
        width: null,
        height: null,
        renditions: [],
        createdAt: now,
        updatedAt: now,
      };
      this.rows.set(d.id, row);
      return row;
    },
    findById: async (id: string) => this.rows.get(id) ?? null,
    delete: async (id: string) => void this.rows.delete(id),
    deleteAndRelease: async (id: string) => {
      const m = this.rows.get(id);
      if (!m) return null;
      this.rows.delete(id);
      const folder = m.storageId ?? m.id;
      return { last: ![...this.rows.values()].some((r) => (r.storageId ?? r.id) === folder) };
    },
    listByRoom: async (roomId: string) => [...this.rows.values()].filter((r) => r.roomId === roomId),
    resetForRetry: async (id: string) => {
      const r = this.rows.get(id);
      if (r?.status !== 'failed') return false;
      Object.assign(r, { status: 'queued', error: null });
      return true;
    },
    cancel: async (id: string, reason: string) => {
      const r = this.rows.get(id);
      if (!r || !['queued', 'processing'].includes(r.status)) return false;
      Object.assign(r, { status: 'failed', error: reason });
      return true;
    },
    markFailed: async (id: string, error: string) => void Object.assign(this.rows.get(id)!, { status: 'failed', error }),
  } satisfies MediaRepository;
  /** Upload reservations (Upload rows); the media's bytes count as the rows' sizes. */
  uploadRows = new Map<string, UploadRecord>();
  reservations = new MemoryUploadReservations(this.uploadRows, (userId) =>
    [...this.rows.values()].filter((m) => m.uploaderId === userId).reduce((n, m) => n + Number(m.sizeBytes), 0),
  );
  private reservationSeq = 0;
  /** Reserves `size` bytes for `userId` in room1 (no quota) and returns the reservation id. */
  async reserved(userId = 'owner', size = 28): Promise<string> {
    const id = `r${++this.reservationSeq}`;
    await this.reservations.reserve(
      { id, userId, roomId: 'room1', sizeBytes: size, filename: 'x', expiresAt: new Date(Date.now() + 60_000) },
      Number.POSITIVE_INFINITY,
    );
    return id;
  }
  /** Records what happens to files: `adopted` as "<staged key>-><media id>", `removed` media ids, `discarded` keys. */
  storage = {
    stagingDirectory: (area: string) => `/staging/${area}`,
    stat: async () => null,
    readHead: async (key: string) => this.files.get(key) ?? Buffer.alloc(0),
    read: async () => Readable.from([]),
    write: async () => undefined,
    move: async (from: string, to: string) => void this.adopted.push(`${from}->${to.replace(/\/source$/, '')}`),
    list: async () => [],
    delete: async (key: string) => void this.discarded.push(key),
    deletePrefix: async (prefix: string) => void this.removed.push(prefix.replace(/\/$/, '')),
  } satisfies MediaStore;
  active = new Set<string>();
  cancelRequests: string[] = [];
  producer = {
    enqueue: async (j: TranscodeJob) => {
      if (this.queueDown) throw new Error('ECONNREFUSED');
      this.queued.push(j);
    },
    requeue: async (j: TranscodeJob): Promise<void> => this.producer.enqueue(j),
    remove: async (id: string) => {
      if (this.active.has(id)) return false;
      this.queued = this.queued.filter((j) => j.mediaId !== id);
      return true;
    },
    requestCancel: async (id: string) => void this.cancelRequests.push(id),
    waitingPositions: async () => {
      if (this.queueDown) throw new Error('ECONNREFUSED');
      return new Map(this.queued.map((j, i) => [j.mediaId, i + 1]));
    },
    counts: async () => ({ waiting: this.queued.length, active: this.active.size, delayed: 0, failed: 0, workers: 1 }),
    ping: async () => undefined,
  } satisfies TranscodeQueue;
  /** room1: owner is its host, viewer and uploader are viewers; anyone else is a stranger. */
  rooms = new MemoryRoomsRepository();
  get deletedEvents(): string[] {
    return this.broadcast.payloads('media:deleted').map((p) => p.mediaId);
  }

  constructor() {
    this.rooms.seed({ id: 'room1' }, 'owner');
    this.rooms.seedMember('room1', 'viewer');
    this.rooms.seedMember('room1', 'uploader');
  }

  service(repo: MediaRepository = this.repo, userQuotaBytes = Number.POSITIVE_INFINITY) {
    return new MediaService(
      repo,
      this.storage,
      this.producer,
      new RoomAccessPolicy(this.rooms),
      this.broadcast,
      this.reservations,
      silentLogger,
      {
        userQuotaBytes,
        uploadExpiryMs: 60_000,
      },
    );
  }
}

describe(MediaService.name, () => {
  let f: Fakes;
  let sut: MediaService;
  beforeEach(() => {
    f = new Fakes();
    sut = f.service();
  });

  it('creates a queued row, adopts the file under the media id, queues a job keyed by it and tells the room', async () => {
    const view = await sut.upload('owner', 'room1', { filename: '1', size: 28, originalname: 'a/b/Holiday.mp4' }, await f.reserved());
    expect(view).toMatchObject({ status: 'queued', roomId: 'room1', originalName: 'Holiday.mp4', sizeBytes: 28 });
    expect(f.adopted).toEqual([`.incoming/1->${view.id}`]);
    expect(f.queued).toEqual([{ mediaId: view.id, roomId: 'room1' }]);
    expect(f.updates.map((u) => u.id)).toEqual([view.id]);
    expect(f.discarded).toEqual([]);
  });

  it('accepts an audio-only file (mp3 with an ID3 tag) and queues it like a video', async () => {
    f.files.set('.incoming/3', Buffer.concat([Buffer.from('ID3'), Buffer.alloc(32)]));
    const view = await sut.upload('owner', 'room1', { filename: '3', size: 35, originalname: 'episode.mp3' }, await f.reserved());
    expect(view).toMatchObject({ status: 'queued', originalName: 'episode.mp3' });
    expect(f.queued).toEqual([{ mediaId: view.id, roomId: 'room1' }]);
    expect(f.discarded).toEqual([]);
  });

  it('refuses a file whose bytes are not a video with 415, discarding it and creating nothing', async () => {
    f.files.set('.incoming/2', Buffer.from('#EXTM3U\n'));
    await expect(
      sut.upload('owner', 'room1', { filename: '2', size: 8, originalname: 'x.mp4' }, await f.reserved()),
    ).rejects.toBeInstanceOf(UnsupportedMediaTypeException);
    expect(f.rows.size).toBe(0);
    expect(f.discarded).toEqual(['.incoming/2']);
    expect(f.queued).toEqual([]);
  });

  it('reserves against the quota (media plus unfinished reservations) and refuses with 413 what does not fit', async () => {
    const quoted = f.service(f.repo, 100);
    await quoted.reserve({ id: 'a', userId: 'owner', roomId: 'room1', sizeBytes: 60, filename: 'a.mp4' });
    await expect(quoted.reserve({ id: 'b', userId: 'owner', roomId: 'room1', sizeBytes: 41, filename: 'b.mp4' })).rejects.toThrow(
      /storage quota/,
    );
    expect([...f.uploadRows.keys()]).toEqual(['a']);
    // Released, its share is free again; a finished upload's bytes then count once, as media.
    await quoted.release('a');
    await quoted.reserve({ id: 'c', userId: 'owner', roomId: 'room1', sizeBytes: 28, filename: 'c.mp4' });
    await quoted.acceptFile('owner', 'room1', { key: '.incoming/1', size: 28, originalname: 'c.mp4', reservationId: 'c' });
    await expect(quoted.reserve({ id: 'd', userId: 'owner', roomId: 'room1', sizeBytes: 73, filename: 'd.mp4' })).rejects.toThrow(
      /storage quota/,
    );
    await quoted.reserve({ id: 'e', userId: 'owner', roomId: 'room1', sizeBytes: 72, filename: 'e.mp4' });
  });

  it('re-checks the room at completion: banned (403), kicked (403) or closed (410) refuses, discarding file and reservation', async () => {
    f.rooms.seedMember('room1', 'banned', { bannedAt: new Date() });
    const r1 = await f.reserved('banned');
    await expect(sut.upload('banned', 'room1', { filename: '1', size: 28, originalname: 'a.mp4' }, r1)).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    const r2 = await f.reserved('stranger');
    await expect(sut.upload('stranger', 'room1', { filename: '1', size: 28, originalname: 'a.mp4' }, r2)).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    f.rooms.rooms.get('room1')!.closedAt = new Date();
    const r3 = await f.reserved('viewer');
    await expect(sut.upload('viewer', 'room1', { filename: '1', size: 28, originalname: 'a.mp4' }, r3)).rejects.toThrow(/closed/);
    expect(f.rows.size).toBe(0);
    expect(f.discarded).toEqual(['.incoming/1', '.incoming/1', '.incoming/1']);
    expect(f.uploadRows.size).toBe(0);
    expect(f.queued).toEqual([]);
  });

  it('lets exactly one finisher claim a reservation; the other gets 404 and leaves the file alone', async () => {
    const r = await f.reserved();
    const file = { key: '.incoming/1', size: 28, originalname: 'a.mp4', reservationId: r };
    const [a, b] = await Promise.allSettled([sut.acceptFile('owner', 'room1', file), sut.acceptFile('owner', 'room1', file)]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect((a.status === 'rejected' ? a : b) as PromiseRejectedResult).toMatchObject({ reason: expect.any(NotFoundException) as unknown });
    expect(f.discarded).toEqual([]);
    expect(f.uploadRows.get(r)).toMatchObject({ finishedAt: expect.any(Date) as Date });
  });

  it('answers 400 when no file was sent', async () => {
    await expect(sut.upload('owner', 'room1', undefined, await f.reserved())).rejects.toBeInstanceOf(BadRequestException);
  });

  it('rolls back row and files with a 503 when the queue is down', async () => {
    f.queueDown = true;
    await expect(
      sut.upload('owner', 'room1', { filename: '1', size: 28, originalname: 'a.mp4' }, await f.reserved()),
    ).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(f.rows.size).toBe(0);
    expect(f.removed).toHaveLength(1);
    expect(f.updates).toEqual([]);
  });

  it('shows media to room members and 404 to everyone else', async () => {
    const view = await sut.upload('owner', 'room1', { filename: '1', size: 28, originalname: 'a.mp4' }, await f.reserved());
    expect((await sut.get('owner', view.id)).id).toBe(view.id);
    await expect(sut.get('stranger', view.id)).rejects.toBeInstanceOf(NotFoundException);
    await expect(sut.get('owner', '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundException);
  });

  describe('managing media', () => {
    const uploadAs = async (userId: string) =>
      sut.upload(userId, 'room1', { filename: '1', size: 28, originalname: 'a.mp4' }, await f.reserved(userId));

    it('reports queue positions in the list, and none when the queue cannot be asked', async () => {
      const a = await uploadAs('uploader');
      const b = await uploadAs('uploader');
      expect((await sut.listForRoom('room1')).map((m) => [m.id, m.queuePosition])).toEqual(
        expect.arrayContaining([
          [a.id, 1],
          [b.id, 2],
        ]),
      );
      f.queueDown = true;
      expect((await sut.listForRoom('room1')).every((m) => m.queuePosition === null)).toBe(true);
    });

    it('lets the uploader and the host cancel, retry and delete; refuses other members (403) and strangers (404)', async () => {
      const m = await uploadAs('uploader');
      await expect(sut.cancel('viewer', m.id, 'Vic')).rejects.toBeInstanceOf(ForbiddenException);
      await expect(sut.cancel('stranger', m.id, 'Stan')).rejects.toBeInstanceOf(NotFoundException);
      expect(await sut.cancel('uploader', m.id, 'Uma')).toMatchObject({ status: 'failed', error: 'Cancelled by Uma.' });
      expect(await sut.retry('owner', m.id)).toMatchObject({ status: 'queued' });
      await sut.remove('owner', m.id);
      expect(f.rows.has(m.id)).toBe(false);
      expect(f.removed).toContain(m.id);
      expect(f.deletedEvents).toEqual([m.id]);
    });

    it('answers and tells the room a media is deleted even when its files cannot all be removed yet', async () => {
      const m = await uploadAs('uploader');
      f.storage.deletePrefix = async () => {
        throw Object.assign(new Error('ENOTEMPTY: directory not empty'), { code: 'ENOTEMPTY' });
      };
      await expect(sut.remove('owner', m.id)).resolves.toBeUndefined();
      expect(f.rows.has(m.id)).toBe(false);
      expect(f.deletedEvents).toEqual([m.id]);
    });

    it('asks the worker to stop a running job instead of removing it from the queue', async () => {
      const m = await uploadAs('uploader');
      f.rows.get(m.id)!.status = 'processing';
      f.active.add(m.id);
      await sut.cancel('uploader', m.id, 'Uma');
      expect(f.cancelRequests).toEqual([m.id]);
      expect(f.queued.map((j) => j.mediaId)).toContain(m.id);
    });

    it('refuses to cancel finished media and to retry media that did not fail (409)', async () => {
      const m = await uploadAs('uploader');
      await expect(sut.retry('uploader', m.id)).rejects.toBeInstanceOf(ConflictException);
      f.rows.get(m.id)!.status = 'ready';
      await expect(sut.cancel('uploader', m.id, 'Uma')).rejects.toBeInstanceOf(ConflictException);
    });

    it('puts the media back to failed with its old reason when the queue is down on retry', async () => {
      const m = await uploadAs('uploader');
      await sut.cancel('uploader', m.id, 'Uma');
      f.queueDown = true;
      await expect(sut.retry('uploader', m.id)).rejects.toBeInstanceOf(ServiceUnavailableException);
      expect(f.rows.get(m.id)).toMatchObject({ status: 'failed' });
    });
  });
});
