import { watch, type FSWatcher } from 'node:fs';
import type { PlannedVariant } from '../ffmpeg/hls-plan.js';
import type { HlsPublisher } from './hls-publisher.js';

export interface FirstSegmentsWait {
  publisher: Pick<HlsPublisher, 'hasFirstSegment'>;
  variants: readonly PlannedVariant[];
  /** False once the encode has ended (either way): stop waiting. */
  encoding: () => boolean;
  /** The longest wait between two checks (with `watchDirs`: a fallback; without: the poll interval). */
  pollMs: number;
  /**
   * Local folders ffmpeg writes the rungs into: a change there (ffmpeg renaming a segment or playlist into
   * place) wakes the check at once instead of at the next poll. Absent or empty: polling only.
   */
  watchDirs?: readonly string[];
  /** Once per variant, when its first segment is seen (the time-to-first-frame breakdown in the logs). */
  onFirstSegment?: (variant: PlannedVariant) => void;
}

/**
 * Resolves true once every variant lists its first segment, false if the encode ends first. ffmpeg gives
 * no event for "segment written"; the folder's change notifications (inotify through fs.watch) are the
 * nearest thing, so with `watchDirs` the check runs within milliseconds of ffmpeg's rename, and the poll
 * only covers a notification that never comes (a folder that cannot be watched). Polling alone (every
 * 100 ms) cost 50 ms on average, up to 100 ms, of the time to first frame (issue 11).
 */
export async function waitForFirstSegments({
  publisher,
  variants,
  encoding,
  pollMs,
  watchDirs,
  onFirstSegment,
}: FirstSegmentsWait): Promise<boolean> {
  const ready = new Set<string>();
  const wake = new OutputWatch(watchDirs ?? []);
  try {
    while (encoding()) {
      for (const v of variants) {
        if (ready.has(v.name) || !(await publisher.hasFirstSegment(v))) continue;
        ready.add(v.name);
        onFirstSegment?.(v);
      }
      if (ready.size === variants.length) return true;
      await wake.wait(pollMs);
    }
    return false;
  } finally {
    wake.close();
  }
}

/**
 * A sleep that ends early when something changes in the watched folders. A change while nobody waits
 * makes the next wait return at once, so a rename between two checks is never missed. After close() (or
 * with no folders) it is a plain sleep.
 */
export class OutputWatch {
  private readonly watchers: FSWatcher[];
  private readonly wakeup = new Wakeup();

  constructor(dirs: readonly string[]) {
    this.watchers = dirs.flatMap((dir) => watchQuietly(dir, () => this.wakeup.ring()) ?? []);
  }

  get active(): boolean {
    return this.watchers.length > 0;
  }

  wait(ms: number): Promise<void> {
    return this.wakeup.wait(ms);
  }

  close(): void {
    for (const w of this.watchers.splice(0)) w.close();
  }
}

/** fs.watch that never throws: a folder that cannot be watched leaves the wait to its poll. */
function watchQuietly(dir: string, onChange: () => void): FSWatcher | undefined {
  try {
    const w = watch(dir, { persistent: false }, onChange);
    w.on('error', () => w.close());
    return w;
  } catch {
    return undefined;
  }
}

/** A sleep that ring() ends early; a ring while nobody waits makes the next wait return at once. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | undefined;

  ring(): void {
    if (this.resolve) this.resolve();
    else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((r) => {
      const done = () => {
        clearTimeout(timer);
        this.resolve = undefined;
        r();
      };
      const timer = setTimeout(done, ms);
      this.resolve = done;
    });
  }
}
