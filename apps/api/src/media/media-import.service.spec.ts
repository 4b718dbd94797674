import { BadRequestException, PayloadTooLargeException, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportJob } from '@reelroom/contracts';
import { FETCH_MESSAGES, FetchError } from '@reelroom/fetch/messages';
import { loadConfig } from '../config/config.js';
import type { ImportQueue } from '../queue/import.queue.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { silentLogger } from '../testing/silent-logger.js';
import type { ImportReservation, ImportReservations } from './import-reservations.js';
import type { LinkChecker } from './link-checker.js';
import type { MediaRecord, MediaRepository } from './media.repository.js';
import { MediaImportService, nameFromLink } from './media-import.service.js';

const row = (d: Parameters<ImportReservations['reserve']>[0], size: number): MediaRecord => ({
  id: d.id,
  roomId: d.roomId,
  uploaderId: d.uploaderId,
  originalName: d.originalName,
  sourceUrl: d.sourceUrl,
  sizeBytes: BigInt(size),
  status: 'importing',
  kind: 'video',
  progress: 0,
  importedBytes: 0n,
  importTotalBytes: null,
  etaSec: null,
  playable: false,
  hasPoster: false,
  hasStoryboard: false,
  storageId: null,
  processingStartedAt: null,
  error: null,
  durationSec: null,
  width: null,
  height: null,
  renditions: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

class Fakes {
  refusal: FetchError | null = null;
  checked: string[] = [];
  quotaLeft = 100;
  rows = new Map<string, MediaRecord>();
  jobs: ImportJob[] = [];
  queueDown = false;
  broadcast = new RecordingBroadcaster();

  links = {
    check: async (url: string) => {
      this.checked.push(url);
      if (this.refusal) throw this.refusal;
    },
  } satisfies LinkChecker;
  reservations = {
    reserve: async (d): Promise<ImportReservation | null> => {
      if (this.quotaLeft <= 0) return null;
      const reservedBytes = Math.min(d.maxUploadBytes, this.quotaLeft);
      this.quotaLeft -= reservedBytes;
      const r = row(d, reservedBytes);
      this.rows.set(d.id, r);
      return { row: r, reservedBytes, limitReason: reservedBytes < d.maxUploadBytes ? 'quota' : 'upload-limit' };
    },
    release: async (id: string, error: string) => {
      const r = this.rows.get(id);
      if (r?.status === 'importing') Object.assign(r, { status: 'failed', error, sizeBytes: 0n });
    },
    reserveAgain: async (d): Promise<ImportReservation | null> => {
      const r = this.rows.get(d.id);
      if (this.quotaLeft <= 0 || r?.status !== 'failed' || r.sourceUrl === null) return null;
      const reservedBytes = Math.min(d.maxUploadBytes, this.quotaLeft);
      this.quotaLeft -= reservedBytes;
      Object.assign(r, { status: 'importing', sizeBytes: BigInt(reservedBytes), error: null });
      return { row: r, reservedBytes, limitReason: reservedBytes < d.maxUploadBytes ? 'quota' : 'upload-limit' };
    },
  } satisfies ImportReservations;
  media = {
    create: async () => {
      throw new Error('not used');
    },
    findById: async (id: string) => this.rows.get(id) ?? null,
    listByRoom: async () => [...this.rows.values()],
    resetForRetry: async () => false,
    cancel: async () => false,
    markFailed: async (id: string, error: string) => void Object.assign(this.rows.get(id)!, { status: 'failed', error }),
    delete: async (id: string) => void this.rows.delete(id),
    deleteAndRelease: async (id: string) => (this.rows.delete(id) ? { last: true } : null),
  } satisfies MediaRepository;
  /** Media ids whose earlier try is still running (a cancel on its way). */
  running = new Set<string>();
  queue = {
    enqueue: async (job: ImportJob) => {
      if (this.queueDown) throw new Error('ECONNREFUSED');
      if (this.running.has(job.mediaId)) return false;
      this.jobs.push(job);
      return true;
    },
    remove: async () => true,
  } satisfies ImportQueue;

  service(config = { maxUploadBytes: 60, userQuotaBytes: 100 }, env: Record<string, string> = {}) {
    const { import: importSettings } = loadConfig(env);
    return new MediaImportService(this.links, this.reservations, this.media, this.queue, this.broadcast, silentLogger, {
      ...config,
      import: importSettings,
    });
  }
}

describe(MediaImportService.name, () => {
  let f: Fakes;
  beforeEach(() => {
    f = new Fakes();
  });

  it('checks the link, reserves min(upload limit, quota left), queues the import with that cap and tells the room', async () => {
    const sut = f.service();
    const a = await sut.importLink('u1', 'room1', 'https://cdn.example/films/Night%20Walk.mp4?sig=1');
    expect(a).toMatchObject({ status: 'importing', originalName: 'Night Walk.mp4', sizeBytes: 60 });
    expect(f.jobs).toEqual([{ mediaId: a.id, roomId: 'room1', maxBytes: 60, limitReason: 'upload-limit' }]);
    // 40 left of the quota: the second import may fetch 40 bytes, and its refusal will name the quota.
    const b = await sut.importLink('u1', 'room1', 'https://cdn.example/b.mp4');
    expect(f.jobs[1]).toEqual({ mediaId: b.id, roomId: 'room1', maxBytes: 40, limitReason: 'quota' });
    expect(f.broadcast.payloads('media:updated').map((m) => m.id)).toEqual([a.id, b.id]);
  });

  it('answers 400 for a link refused as written and 422 for one that resolves to a private address, with the sentence; nothing is created', async () => {
    const sut = f.service();
    f.refusal = new FetchError('unsupported-scheme', FETCH_MESSAGES.unsupportedScheme);
    await expect(sut.importLink('u1', 'room1', 'ftp://x/y')).rejects.toThrow(new BadRequestException(FETCH_MESSAGES.unsupportedScheme));
    f.refusal = new FetchError('forbidden-address', FETCH_MESSAGES.forbiddenAddress, '10.0.0.5');
    const refused = sut.importLink('u1', 'room1', 'http://intranet.example/x.mp4');
    await expect(refused).rejects.toBeInstanceOf(UnprocessableEntityException);
    await expect(refused).rejects.toThrow('That address is on a private network.');
    expect(f.rows.size).toBe(0);
    expect(f.jobs).toEqual([]);
  });

  it('answers 413 when the quota is used up', async () => {
    f.quotaLeft = 0;
    await expect(f.service().importLink('u1', 'room1', 'https://cdn.example/a.mp4')).rejects.toBeInstanceOf(PayloadTooLargeException);
    expect(f.jobs).toEqual([]);
  });

  it('removes the row (and with it the reservation) and answers 503 when the queue is down', async () => {
    f.queueDown = true;
    await expect(f.service().importLink('u1', 'room1', 'https://cdn.example/a.mp4')).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(f.rows.size).toBe(0);
    expect(f.broadcast.payloads('media:updated')).toEqual([]);
  });

  it('fetches a failed import again on retry: link checked again, quota reserved again, same media id queued', async () => {
    const sut = f.service();
    const a = await sut.importLink('u1', 'room1', 'https://cdn.example/a.mp4');
    Object.assign(f.rows.get(a.id)!, { status: 'failed', error: 'The server stopped sending data.', sizeBytes: 0n });
    f.quotaLeft = 100;
    const again = await sut.restart({ ...f.rows.get(a.id)! });
    expect(again).toMatchObject({ id: a.id, status: 'importing', sizeBytes: 60, error: null });
    expect(f.checked).toEqual(['https://cdn.example/a.mp4', 'https://cdn.example/a.mp4']);
    expect(f.jobs.map((j) => j.mediaId)).toEqual([a.id, a.id]);
    // The link is now refused (DNS moved to a private address): nothing changes, the sentence says why.
    Object.assign(f.rows.get(a.id)!, { status: 'failed' });
    f.refusal = new FetchError('forbidden-address', FETCH_MESSAGES.forbiddenAddress);
    await expect(sut.restart({ ...f.rows.get(a.id)! })).rejects.toBeInstanceOf(UnprocessableEntityException);
    expect(f.rows.get(a.id)!.status).toBe('failed');
  });

  it('answers 409 and keeps the media failed, its reservation released, while the cancelled try is still stopping', async () => {
    const sut = f.service();
    const a = await sut.importLink('u1', 'room1', 'https://cdn.example/a.mp4');
    Object.assign(f.rows.get(a.id)!, { status: 'failed', error: 'Cancelled by Uma.', sizeBytes: 0n });
    f.running.add(a.id);
    await expect(sut.restart({ ...f.rows.get(a.id)! })).rejects.toThrow(
      'The previous attempt is still stopping. Try again in a few seconds.',
    );
    expect(f.rows.get(a.id)).toMatchObject({ status: 'failed', error: 'Cancelled by Uma.', sizeBytes: 0n });
  });

  it('says which links work, naming video pages only when yt-dlp is on', () => {
    expect(f.service().options()).toMatchObject({ ytdlp: false });
    expect(f.service().options().linkKinds).not.toMatch(/yt-dlp/);
    const withYtDlp = f.service(undefined, { IMPORT_YTDLP: '1' }).options();
    expect(withYtDlp.ytdlp).toBe(true);
    expect(withYtDlp.linkKinds).toMatch(/yt-dlp/);
  });
});

describe(nameFromLink.name, () => {
  it('takes the last path segment, decoded and cleaned, else the host', () => {
    expect(nameFromLink('https://a.example/x/My%20Film.mkv')).toBe('My Film.mkv');
    expect(nameFromLink('https://a.example/')).toBe('a.example');
    expect(nameFromLink('https://a.example/%E0%A4%A')).toBe('%E0%A4%A');
  });
});
