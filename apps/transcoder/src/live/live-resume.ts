import { MEDIA_PLAYLIST_NAME } from '@reelroom/contracts';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { joinKey, mediaKeys, type MediaStorage } from '../storage/media-storage.js';
import { JobHandedBackError, JobLockLostError } from '../jobs/job-context.js';

/**
 * Whether this live already has playlists from an earlier run (a transcoder that died or shut down under
 * it: the queue handed the job to us). Each rung's playlist is made local for ffmpeg's append_list (a no-op
 * on local disk; with S3 it comes down from the bucket to this machine's scratch folder).
 */
export async function hasEarlierRun(storage: MediaStorage, rungKeys: readonly string[]): Promise<boolean> {
  let found = false;
  for (const rung of rungKeys) {
    const key = joinKey(rung, MEDIA_PLAYLIST_NAME);
    if ((await storage.size(key)) === undefined) continue;
    await storage.fetchLocal(key);
    found = true;
  }
  return found;
}

/**
 * A live job that stopped because it goes on elsewhere (this worker shut down and handed it back, or lost
 * its lock to a worker that took it): the live is not over, so this run must neither end it nor make the
 * replay.
 */
export function goesOnElsewhere(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason instanceof JobHandedBackError || signal.reason instanceof JobLockLostError);
}

/**
 * The stream as the first run probed it, next to (not inside) the served hls folder. A resume plans the
 * same ladder from it (the same rung folders, so append_list finds every playlist) and skips the probe:
 * on a loaded 2-core box ffprobe took 3-4 s of the 5 s a resume may take.
 */
const sourceKey = (liveId: string) => joinKey(mediaKeys(liveId).folder, 'live-source.json');

export async function rememberSource(storage: MediaStorage, liveId: string, info: MediaInfo): Promise<void> {
  await storage.write(sourceKey(liveId), JSON.stringify(info));
}

/** The first run's probe, or undefined (a first run, or a run that died before it was written). */
export async function rememberedSource(storage: MediaStorage, liveId: string): Promise<MediaInfo | undefined> {
  if ((await storage.size(sourceKey(liveId))) === undefined) return undefined;
  return JSON.parse(await storage.readText(sourceKey(liveId))) as MediaInfo;
}

export async function forgetSource(storage: MediaStorage, liveId: string): Promise<void> {
  await storage.delete(sourceKey(liveId));
}
