import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ImportJob } from '@reelroom/contracts';
import { FetchError } from '@reelroom/fetch';
import { LOGGER } from '../config/config.js';
import { IMPORT_SENTENCES, ImportRejectedError } from '../import/import-rejected.error.js';
import { LinkImporter } from '../import/link-importer.js';
import { MediaStateRepository, type ImportStateStore } from '../media/media-state.repository.js';
import { TranscodeEnqueuer, type TranscodeQueuePort } from '../queue/transcode.enqueuer.js';
import { MEDIA_STORAGE, mediaKeys, type MediaStorage } from '../storage/media-storage.js';
import { decideJobFailure } from './job-failure.js';
import { PermanentJobError, type JobContext } from './job-context.js';
import { ImportProgress } from './import-progress.js';

/** A sentence for a refusal that retrying cannot change: the link's policy, its content, a limit. */
function rejection(err: unknown): string | undefined {
  if (err instanceof ImportRejectedError) return err.message;
  if (err instanceof FetchError && err.permanent) return err.userMessage;
  return undefined;
}

/**
 * Fetches a link into `<mediaId>/source` (LinkImporter: @reelroom/fetch under the import policy, then
 * the upload sniffer), then hands the media to the usual transcode: row importing -> queued, and the
 * transcode job queued with the same options as an upload's. ffprobe's limits apply there, and ffmpeg
 * only ever opens the local file. The link comes from the row, never from the payload.
 *
 * Failures: a refused link or content fails at once with the fetcher's sentence (no retry); a network
 * failure (timeout, reset, 5xx) is tried again while attempts remain, then fails with its sentence;
 * a cancel or delete stops the download and leaves nothing behind.
 */
@Injectable()
export class ImportHandler {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MediaStateRepository) private readonly state: ImportStateStore,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Inject(LinkImporter) private readonly links: Pick<LinkImporter, 'import'>,
    @Inject(TranscodeEnqueuer) private readonly transcodes: TranscodeQueuePort,
  ) {}

  async handle(data: ImportJob, job: JobContext): Promise<void> {
    const log = this.logger.child({ mediaId: data.mediaId, roomId: data.roomId, jobId: job.id });
    const media = await this.state.findImport(data.mediaId);
    if (!media || media.status !== 'importing' || !media.sourceUrl) {
      log.info({ status: media?.status ?? 'deleted' }, 'import no longer wanted; nothing to do');
      return;
    }
    if (!(await this.state.restartImport(data.mediaId))) return;
    const keys = mediaKeys(data.mediaId);
    const progress = new ImportProgress({ mediaId: data.mediaId, roomId: data.roomId }, job, this.state, log);
    const startedAt = Date.now();
    log.info({ attempt: job.attemptsMade + 1, of: job.maxAttempts, maxBytes: data.maxBytes }, 'import started');

    try {
      const result = await this.links.import(media.sourceUrl, keys.source, {
        maxBytes: data.maxBytes,
        limitReason: data.limitReason,
        signal: job.signal,
        onProgress: (p) => progress.report(p),
      });
      log.info(
        {
          ms: Date.now() - startedAt,
          bytes: result.bytes,
          kind: result.kind,
          container: result.sniffed.container,
          resolved: result.resolved,
          segments: result.hls?.segmentCount,
        },
        'import fetched',
      );
      if (!(await this.state.finishImport(data.mediaId, result.bytes))) {
        // Cancelled or deleted while the last bytes arrived: whoever stops last cleans up.
        if (!(await this.state.findImport(data.mediaId))) await this.storage.deletePrefix(keys.folder);
        else await this.storage.delete(keys.source);
        log.info('import finished after it was cancelled; file discarded');
        return;
      }
      try {
        await this.transcodes.enqueue({ mediaId: data.mediaId, roomId: data.roomId });
      } catch (err) {
        log.error({ err }, 'could not queue the transcode of an imported file');
        await this.state.failImport(data.mediaId, IMPORT_SENTENCES.final);
        throw new PermanentJobError('transcode not queued');
      }
      await progress.stateChanged();
    } catch (err) {
      if (err instanceof PermanentJobError) throw err;
      const finalReason = err instanceof FetchError ? err.userMessage : IMPORT_SENTENCES.final;
      const decision = decideJobFailure(err, job, { rejection, finalReason });
      const code = err instanceof FetchError ? err.code : undefined;
      // `detail` may name internal addresses: logs only, never the row.
      const detail = err instanceof FetchError ? err.detail : err instanceof Error ? err.message : String(err);
      switch (decision.kind) {
        case 'cancelled':
          log.info('import cancelled');
          if (!(await this.state.findImport(data.mediaId))) await this.storage.deletePrefix(keys.folder);
          throw new PermanentJobError('cancelled');
        case 'handed-back':
          log.info('import handed back to the queue: this worker is shutting down');
          throw err;
        case 'rejected':
          log.warn({ code, detail, reason: decision.reason }, 'import refused');
          await this.state.failImport(data.mediaId, decision.reason);
          await progress.stateChanged();
          throw new PermanentJobError(decision.reason);
        case 'retry':
          log.warn({ code, detail, attempt: job.attemptsMade + 1, of: job.maxAttempts }, 'import failed; it will be retried');
          throw err;
        case 'final':
          log.error({ code, detail, attempt: job.attemptsMade + 1, of: job.maxAttempts }, 'import failed on its last try');
          await this.state.failImport(data.mediaId, decision.reason);
          await progress.stateChanged();
          throw err;
      }
    }
  }
}
