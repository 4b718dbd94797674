import { MEDIA_FILES } from '@reelroom/contracts';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { buildPosterTries } from '../ffmpeg/poster-command.js';
import { joinKey } from '../storage/media-storage.js';
import { failureReason, removeTemp, type ArtworkStepOptions } from './artwork-step.js';

export interface PosterStepOptions extends ArtworkStepOptions {
  info: MediaInfo;
  /** The local file ffmpeg reads. */
  sourcePath: string;
}

/**
 * Writes poster.jpg into the output (buildPosterTries: a pick ~10 % in, then the first frame; the
 * waveform for audio), through a temp file renamed into place so the served file is never partial.
 *
 * What a failure means: the media is still ready and playable, without a poster (hasPoster false; the
 * room shows its generic card). So the step never throws: every failed try is logged with ffmpeg's
 * reason, and a poster that could not be drawn at all is a warning naming every reason, so a media
 * without a poster is always explained in the logs. A stop (job cancelled, encode failed) is no failure:
 * it returns false quietly, and the pipeline decides what happens to the job.
 */
export async function writePoster(opts: PosterStepOptions): Promise<boolean> {
  const log = opts.log.child({ step: 'poster' });
  const posterKey = joinKey(opts.outKey, MEDIA_FILES.poster);
  const tmpKey = joinKey(opts.outKey, `.${MEDIA_FILES.poster}.tmp`);
  const tries = buildPosterTries(opts.info, opts.sourcePath, opts.storage.localPath(tmpKey));
  if (tries.length === 0) {
    log.warn('no poster: the media has neither a video nor an audio stream');
    return false;
  }
  const reasons: string[] = [];
  try {
    for (const t of tries) {
      if (opts.signal.aborted) return stopped(log);
      try {
        await opts.runner.run({
          ffmpegPath: opts.ffmpegPath,
          args: t.args,
          timeoutMs: opts.timeoutMs,
          niceness: opts.niceness,
          signal: opts.signal,
        });
        await opts.storage.publishLocal(tmpKey);
        if (((await opts.storage.size(tmpKey)) ?? 0) > 0) {
          await opts.storage.rename(tmpKey, posterKey);
          log.info({ from: t.label }, 'poster written');
          return true;
        }
        reasons.push(`${t.label}: ffmpeg wrote no image`);
      } catch (err) {
        if (opts.signal.aborted) return stopped(log);
        reasons.push(`${t.label}: ${failureReason(err)}`);
      }
      log.info({ from: t.label, reason: reasons.at(-1) }, 'poster try failed');
    }
    log.warn({ reasons }, 'no poster: every try failed; the media is ready without one');
    return false;
  } finally {
    await removeTemp(opts, tmpKey, 'poster');
  }
}

function stopped(log: PosterStepOptions['log']): false {
  log.debug('poster stopped: the job is ending');
  return false;
}
