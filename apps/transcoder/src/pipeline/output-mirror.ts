import type { Logger } from 'pino';
import type { MediaStorage } from '../storage/media-storage.js';

/**
 * While ffmpeg writes into `localPath(outKey)`, publishes what it wrote every `everyMs` (MediaStorage.
 * publishLocal: segments, then the playlists that list them), so viewers can play an object-stored stream
 * while it is encoded. On local disk publishing is a no-op. `prepare`, when given, runs first in every
 * round (the single pass serves its pinned playlists from ffmpeg's: HlsPublisher.servePlaylists), so what
 * it wrote is published in the same round. `stop()` ends the rounds, then runs one more and rejects if
 * that last one fails: after it, everything ffmpeg wrote is served and in the store.
 */
export function mirrorOutput(
  storage: Pick<MediaStorage, 'publishLocal'>,
  outKey: string,
  everyMs: number,
  log: Logger,
  prepare: () => Promise<void> = () => Promise.resolve(),
) {
  const round = async () => {
    await prepare();
    await storage.publishLocal(outKey);
  };
  let running = true;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const rounds = (async () => {
    while (running) {
      // A failed round is retried at the next one (a slow or briefly unreachable store); the last one counts.
      await round().catch((err: unknown) =>
        log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not publish the output yet'),
      );
      if (!running) break;
      await new Promise<void>((r) => {
        wake = r;
        timer = setTimeout(r, everyMs);
      });
    }
  })();
  return {
    /** Stops the rounds; `final` false (a failed encode) skips the last publish. */
    async stop(final = true): Promise<void> {
      running = false;
      clearTimeout(timer);
      wake?.();
      await rounds;
      if (final) await round();
    },
  };
}
