import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ImportJob, JobProgress, TranscodeJob } from '@reelroom/contracts';
import { FETCH_MESSAGES, FetchError, type TransferOptions } from '@reelroom/fetch';
import { IMPORT_SENTENCES, ImportRejectedError } from '../import/import-rejected.error.js';
import type { LinkImporter, LinkImportResult } from '../import/link-importer.js';
import type { ImportState, ImportStateStore } from '../media/media-state.repository.js';
import type { TranscodeQueuePort } from '../queue/transcode.enqueuer.js';
import { MemoryStorage } from '../storage/memory.storage.js';
import { ImportHandler } from './import.handler.js';
import { JobCancelledError, PermanentJobError, type JobContext } from './job-context.js';

const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
const ROOM = 'r'.repeat(22);
const LINK = 'https://cdn.example/film.mp4';
const JOB: ImportJob = { mediaId: MEDIA, roomId: ROOM, maxBytes: 5000, limitReason: 'quota' };

/** The import part of MediaStateRepository's state machine, in memory, with the same guards. */
class FakeState implements ImportStateStore {
  row: (ImportState & { error: string | null; sizeBytes: number; bytes: number | null }) | null = {
    id: MEDIA,
    roomId: ROOM,
    status: 'importing',
    sourceUrl: LINK,
    error: null,
    sizeBytes: 5000,
    bytes: 0,
  };
  async findImport(): Promise<ImportState | null> {
    return this.row && { id: this.row.id, roomId: this.row.roomId, status: this.row.status, sourceUrl: this.row.sourceUrl };
  }
  async restartImport() {
    if (this.row?.status !== 'importing') return false;
    this.row.bytes = 0;
    return true;
  }
  async setImportProgress(_id: string, p: { bytes: number }) {
    if (this.row?.status === 'importing') this.row.bytes = p.bytes;
  }
  async finishImport(_id: string, bytes: number) {
    if (this.row?.status !== 'importing') return false;
    Object.assign(this.row, { status: 'queued', sizeBytes: bytes, bytes: null });
    return true;
  }
  async failImport(_id: string, error: string) {
    if (this.row?.status === 'importing') Object.assign(this.row, { status: 'failed', error, sizeBytes: 0 });
  }
}

/** Answers with a result or throws, and reports one progress figure first. */
class FakeLinks implements Pick<LinkImporter, 'import'> {
  outcome: (() => LinkImportResult) | null = () => ({
    kind: 'file',
    url: LINK,
    contentType: 'video/mp4',
    bytes: 1234,
    head: Buffer.alloc(0),
    sniffed: { kind: 'video', container: 'mp4' },
    resolved: false,
  });
  asked: Array<{ link: string; key: string; maxBytes: number; limitReason?: string }> = [];
  async import(link: string, key: string, options: TransferOptions): Promise<LinkImportResult> {
    this.asked.push({ link, key, maxBytes: options.maxBytes, limitReason: options.limitReason });
    options.onProgress?.({ bytes: 617, totalBytes: 1234 });
    if (!this.outcome) throw new Error('no outcome');
    return this.outcome();
  }
}

class FakeTranscodes implements TranscodeQueuePort {
  jobs: TranscodeJob[] = [];
  async enqueue(job: TranscodeJob) {
    this.jobs.push(job);
  }
}

function context(over: Partial<JobContext> = {}): JobContext & { reports: JobProgress[] } {
  const reports: JobProgress[] = [];
  return {
    id: MEDIA,
    attemptsMade: 0,
    maxAttempts: 2,
    reportProgress: async (data) => void reports.push(data as JobProgress),
    signal: new AbortController().signal,
    reports,
    ...over,
  };
}

describe(ImportHandler.name, () => {
  let state: FakeState;
  let links: FakeLinks;
  let transcodes: FakeTranscodes;
  let storage: MemoryStorage;
  let sut: ImportHandler;
  beforeEach(() => {
    state = new FakeState();
    links = new FakeLinks();
    transcodes = new FakeTranscodes();
    storage = new MemoryStorage();
    sut = new ImportHandler(pino({ level: 'silent' }), state, storage, links, transcodes);
  });

  it('fetches the row’s link into <id>/source with the reserved cap, then queues the usual transcode', async () => {
    const ctx = context();
    await sut.handle(JOB, ctx);
    expect(links.asked).toEqual([{ link: LINK, key: `${MEDIA}/source`, maxBytes: 5000, limitReason: 'quota' }]);
    expect(state.row).toMatchObject({ status: 'queued', sizeBytes: 1234 });
    expect(transcodes.jobs).toEqual([{ mediaId: MEDIA, roomId: ROOM }]);
    // Progress on the transcode path: percent of the declared size, with the bytes.
    expect(ctx.reports[0]).toEqual({ mediaId: MEDIA, roomId: ROOM, percent: 50, bytes: 617, totalBytes: 1234 });
    expect(ctx.reports.at(-1)).toMatchObject({ stateChanged: true });
  });

  it('fails at once, with the fetcher’s sentence, a link refused for good (no retry)', async () => {
    links.outcome = () => {
      throw new FetchError('forbidden-address', FETCH_MESSAGES.forbiddenAddress, '169.254.169.254');
    };
    await expect(sut.handle(JOB, context())).rejects.toBeInstanceOf(PermanentJobError);
    expect(state.row).toMatchObject({ status: 'failed', error: 'That address is on a private network.', sizeBytes: 0 });
    expect(transcodes.jobs).toEqual([]);
  });

  it('fails a web page with its sentence', async () => {
    links.outcome = () => {
      throw new ImportRejectedError(IMPORT_SENTENCES.webPage);
    };
    await expect(sut.handle(JOB, context())).rejects.toBeInstanceOf(PermanentJobError);
    expect(state.row).toMatchObject({ status: 'failed', error: IMPORT_SENTENCES.webPage });
  });

  it('leaves a network failure importing for the retry, and fails it with its sentence on the last try', async () => {
    links.outcome = () => {
      throw new FetchError('idle-timeout', FETCH_MESSAGES.idleTimeout);
    };
    await expect(sut.handle(JOB, context())).rejects.toBeInstanceOf(FetchError);
    expect(state.row).toMatchObject({ status: 'importing', error: null });
    await expect(sut.handle(JOB, context({ attemptsMade: 1 }))).rejects.toBeInstanceOf(FetchError);
    expect(state.row).toMatchObject({ status: 'failed', error: 'The server stopped sending data.' });
  });

  it('writes nothing when the import was cancelled, and removes the folder when the media was deleted meanwhile', async () => {
    const abort = new AbortController();
    abort.abort(new JobCancelledError('cancelled'));
    links.outcome = () => {
      throw new FetchError('cancelled', FETCH_MESSAGES.cancelled);
    };
    await expect(sut.handle(JOB, context({ signal: abort.signal }))).rejects.toBeInstanceOf(PermanentJobError);
    expect(state.row).toMatchObject({ status: 'importing', error: null });
    expect(storage.deletedPrefixes).toEqual([]);

    links.outcome = () => {
      state.row = null; // deleted while the bytes arrived
      throw new FetchError('cancelled', FETCH_MESSAGES.cancelled);
    };
    await expect(sut.handle(JOB, context({ signal: abort.signal }))).rejects.toBeInstanceOf(PermanentJobError);
    expect(storage.deletedPrefixes).toEqual([MEDIA]);
  });

  it('does nothing for a media deleted before its import started', async () => {
    state.row = null;
    await sut.handle(JOB, context());
    expect(links.asked).toEqual([]);
  });

  it('discards a file that arrived after a cancel instead of queueing it', async () => {
    links.outcome = () => {
      state.row!.status = 'failed';
      return {
        kind: 'file',
        url: LINK,
        contentType: null,
        bytes: 1,
        head: Buffer.alloc(0),
        sniffed: { kind: 'video', container: 'mp4' },
        resolved: false,
      };
    };
    await storage.write(`${MEDIA}/source`, 'x');
    await sut.handle(JOB, context());
    expect(transcodes.jobs).toEqual([]);
    expect(storage.files.has(`${MEDIA}/source`)).toBe(false);
  });
});
