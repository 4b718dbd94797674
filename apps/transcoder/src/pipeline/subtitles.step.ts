import type { Logger } from 'pino';
import { lastCueEnd, parseSubtitleFile, toWebVtt } from '@reelroom/contracts';
import type { FfmpegRun } from '../ffmpeg/ffmpeg-runner.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { buildSubtitleCommand, embeddedSubtitleId, planSubtitles, subtitleLabel, subtitleLanguage } from '../ffmpeg/subtitle-command.js';
import { joinKey, type MediaStorage } from '../storage/media-storage.js';
import { failureReason, removeTemp } from './artwork-step.js';

/** A text subtitle track found in the upload, written as `<mediaId>/subtitles/<id>.vtt`. */
export interface EmbeddedSubtitle {
  id: string;
  streamIndex: number;
  label: string;
  language: string;
  cueCount: number;
  endSec: number;
}

export interface SubtitlesStepOptions {
  runner: FfmpegRun;
  storage: MediaStorage;
  ffmpegPath: string;
  mediaId: string;
  /** The local source file (server-named), the same one the transcode read. */
  sourcePath: string;
  info: MediaInfo;
  timeoutMs: number;
  niceness: number;
  signal?: AbortSignal;
  log: Logger;
}

/** Where subtitle tracks live: beside hls/, which every transcode attempt empties (see the API's media-keys.ts). */
export const subtitlesKey = (mediaId: string) => joinKey(mediaId, 'subtitles');

/**
 * Embedded text subtitles -> our WebVTT (issue 12). A step of its own that reads the source file, not
 * the HLS output, so it is independent of how the video is encoded. ffmpeg converts each text stream to
 * WebVTT in one pass; each result then goes through the same parser and writer as an uploaded file
 * (contracts' subtitle-text.ts), so a hostile track is bounded and escaped exactly like an upload. A
 * track that fails is logged and left out; the media is complete without it (like the poster). Bitmap
 * tracks are skipped with the reason logged.
 */
export async function extractSubtitles(opts: SubtitlesStepOptions): Promise<EmbeddedSubtitle[]> {
  const { storage, log, mediaId } = opts;
  const plan = planSubtitles(opts.info);
  for (const { stream, reason } of plan.skipped)
    log.info({ step: 'subtitles', streamIndex: stream.index, reason }, 'subtitle stream skipped');
  if (plan.extract.length === 0) return [];
  const folder = subtitlesKey(mediaId);
  await storage.prepareLocal(folder);
  const temps = plan.extract.map((s) => ({ stream: s, key: joinKey(folder, `.extract-${s.index}.vtt`) }));
  try {
    await opts.runner.run({
      ffmpegPath: opts.ffmpegPath,
      args: buildSubtitleCommand({
        sourcePath: opts.sourcePath,
        formatName: opts.info.formatName,
        outputs: temps.map((t) => ({ index: t.stream.index, outPath: storage.localPath(t.key) })),
      }),
      timeoutMs: opts.timeoutMs,
      niceness: opts.niceness,
      signal: opts.signal,
    });
    const out: EmbeddedSubtitle[] = [];
    for (const [i, { stream, key }] of temps.entries()) {
      try {
        const { cues } = parseSubtitleFile(await storage.read(key));
        const id = embeddedSubtitleId(mediaId, stream.index);
        await storage.write(joinKey(folder, `${id}.vtt`), toWebVtt(cues));
        out.push({
          id,
          streamIndex: stream.index,
          label: subtitleLabel(stream, i + 1),
          language: subtitleLanguage(stream),
          cueCount: cues.length,
          endSec: lastCueEnd(cues),
        });
      } catch (err) {
        log.warn({ step: 'subtitles', streamIndex: stream.index, reason: failureReason(err) }, 'subtitle stream left out');
      }
    }
    log.info({ step: 'subtitles', tracks: out.length }, 'embedded subtitles extracted');
    return out;
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    log.warn(
      { step: 'subtitles', reason: failureReason(err) },
      'embedded subtitles could not be extracted; the media is ready without them',
    );
    return [];
  } finally {
    for (const t of temps) await removeTemp(opts, t.key, 'subtitles');
  }
}
