import { BadRequestException, NotFoundException, ServiceUnavailableException, UnsupportedMediaTypeException } from '@nestjs/common';
import { ForbiddenException } from '@nestjs/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { MediaView, TranscodeJob } from '@reelroom/contracts';
import { MediaService } from './media.service.js';
import type { MediaRepository, MediaRecord } from './media.repository.js';
import type { MediaStorage } from './media-storage.js';
import type { TranscodeProducer } from '../queue/transcode.producer.js';
import type { RoomsService } from '../rooms/rooms.service.js';
import type { MediaEvents } from './media.events.js';

const MP4_HEAD = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(20)]);

class Fakes {
  rows = new Map<string, MediaRecord>();
  files = new Map<string, Buffer>([['/tmp/in/1', MP4_HEAD]]);
  adopted: string[] = [];
  removed: string[] = [];
  discarded: string[] = [];
  queued: TranscodeJob[] = [];
  queueDown = false;
  updates: MediaView[] = [];
  members = new Set<string>(['owner:room1']);

  repo = {
    create: async (d: { id: string; roomId: string; uploaderId: string; originalName: string; sizeBytes: number }) => {
      const now = new Date();
      const row = { ...d, sizeBytes: BigInt(d.sizeBytes), status: 'queued', kind: 'video', etaSec: null, playable: false, hasPoster: false, hasStoryboard: false, processingStartedAt: null, progress: 0, error: null, durationSec: null, width: null, height: null, renditions: [], createdAt: now, updatedAt: now } as MediaRecord;
      this.rows.set(d.id, row);
      return row;
    },
    findById: async (id: string) => this.rows.get(id) ?? null,
    delete: async (id: string) => void this.rows.delete(id),
  };
  storage = {
    readHead: async (p: string) => this.files.get(p) ?? Buffer.alloc(0),
    adoptUpload: async (p: string, id: string) => void this.adopted.push(`${p}->${id}`),
    removeMedia: async (id: string) => void this.removed.push(id),
    discard: async (p: string) => void this.discarded.push(p),
  };
  producer = {
    enqueue: async (j: TranscodeJob) => {
      if (this.queueDown) throw new Error('ECONNREFUSED');
      this.queued.push(j);
    },
  };
  rooms = {
    requireMember: async (userId: string, roomId: string) => {
      if (!this.members.has(`${userId}:${roomId}`)) throw new ForbiddenException('Join this room first.');
      return 'viewer';
    },
  };
  events = { mediaUpdated: (m: MediaView) => void this.updates.push(m), mediaProgress: () => undefined, mediaDeleted: () => undefined };

  service() {
    return new MediaService(
      this.repo as unknown as MediaRepository,
      this.storage as unknown as MediaStorage,
      this.producer as unknown as TranscodeProducer,
      this.rooms as unknown as RoomsService,
      this.events as unknown as MediaEvents,
      pino({ level: 'silent' }),
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
    const view = await sut.upload('owner', 'room1', { path: '/tmp/in/1', size: 28, originalname: 'a/b/Holiday.mp4' });
    expect(view).toMatchObject({ status: 'queued', roomId: 'room1', originalName: 'Holiday.mp4', sizeBytes: 28 });
    expect(f.adopted).toEqual([`/tmp/in/1->${view.id}`]);
    expect(f.queued).toEqual([{ mediaId: view.id, roomId: 'room1' }]);
    expect(f.updates.map((u) => u.id)).toEqual([view.id]);
    expect(f.discarded).toEqual([]);
  });

  it('refuses a file whose bytes are not a video with 415, discarding it and creating nothing', async () => {
    f.files.set('/tmp/in/2', Buffer.from('#EXTM3U\n'));
    await expect(sut.upload('owner', 'room1', { path: '/tmp/in/2', size: 8, originalname: 'x.mp4' })).rejects.toBeInstanceOf(UnsupportedMediaTypeException);
    expect(f.rows.size).toBe(0);
    expect(f.discarded).toEqual(['/tmp/in/2']);
    expect(f.queued).toEqual([]);
  });

  it('answers 400 when no file was sent', async () => {
    await expect(sut.upload('owner', 'room1', undefined)).rejects.toBeInstanceOf(BadRequestException);
  });

  it('rolls back row and files with a 503 when the queue is down', async () => {
    f.queueDown = true;
    await expect(sut.upload('owner', 'room1', { path: '/tmp/in/1', size: 28, originalname: 'a.mp4' })).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(f.rows.size).toBe(0);
    expect(f.removed).toHaveLength(1);
    expect(f.updates).toEqual([]);
  });

  it('shows media to room members and 404 to everyone else', async () => {
    const view = await sut.upload('owner', 'room1', { path: '/tmp/in/1', size: 28, originalname: 'a.mp4' });
    expect((await sut.get('owner', view.id)).id).toBe(view.id);
    await expect(sut.get('stranger', view.id)).rejects.toBeInstanceOf(NotFoundException);
    await expect(sut.get('owner', '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundException);
  });
});
