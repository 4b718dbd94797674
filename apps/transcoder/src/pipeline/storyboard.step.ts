import { MEDIA_FILES, MEDIA_PLAYLIST_NAME } from '@reelroom/contracts';
import { buildStoryboardCommand, buildStoryboardVtt, storyboardLayout } from '../ffmpeg/storyboard.js';
import { joinKey } from '../storage/media-storage.js';
import { failureReason, removeTemp, type ArtworkStepOptions } from './artwork-step.js';

export interface StoryboardStepOptions extends ArtworkStepOptions {
  durationSec: number;
  /** The lowest video rung, finished (VOD): the cheapest thing to decode keyframes from. */
  lowest: { name: string; width: number; height: number };
}

/**
 * Writes storyboard.jpg (one sprite) and storyboard.vtt (its index) from the lowest rung, sprite first
 * through a temp file, so the index never points at a missing sprite.
 *
 * What a failure means: the media is still ready, without seek-bar thumbnails (hasStoryboard false).
 * The step never throws; a failure is a warning with the reason. A stop (job cancelled) is no failure.
 */
export async function writeStoryboard(opts: StoryboardStepOptions): Promise<boolean> {
  const log = opts.log.child({ step: 'storyboard' });
  const spriteKey = joinKey(opts.outKey, MEDIA_FILES.storyboardSprite);
  const tmpKey = joinKey(opts.outKey, `.${MEDIA_FILES.storyboardSprite}.tmp`);
  try {
    const layout = storyboardLayout(opts.durationSec, opts.lowest.width, opts.lowest.height);
    await opts.runner.run({
      ffmpegPath: opts.ffmpegPath,
      args: buildStoryboardCommand({
        playlistPath: opts.storage.localPath(joinKey(opts.outKey, opts.lowest.name, MEDIA_PLAYLIST_NAME)),
        layout,
        outPath: opts.storage.localPath(tmpKey),
      }),
      timeoutMs: opts.timeoutMs,
      niceness: opts.niceness,
      signal: opts.signal,
    });
    await opts.storage.publishLocal(tmpKey);
    if (!((await opts.storage.size(tmpKey)) ?? 0)) throw new Error('ffmpeg wrote no image');
    await opts.storage.rename(tmpKey, spriteKey);
    await opts.storage.write(
      joinKey(opts.outKey, MEDIA_FILES.storyboardVtt),
      buildStoryboardVtt(layout, opts.durationSec, MEDIA_FILES.storyboardSprite),
    );
    log.info({ tiles: layout.tiles }, 'storyboard written');
    return true;
  } catch (err) {
    if (opts.signal.aborted) {
      log.debug('storyboard stopped: the job is ending');
      return false;
    }
    log.warn({ reason: failureReason(err) }, 'no storyboard; the media is ready without one');
    return false;
  } finally {
    await removeTemp(opts, tmpKey, 'storyboard');
  }
}
