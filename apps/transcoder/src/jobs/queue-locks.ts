/** BullMQ's lock and stall settings of one queue's worker. */
export interface QueueLocks {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

/**
 * Transcodes, imports, chunks: a transcode holds the CPU for minutes; the lock is renewed every
 * lockDuration/2 by the worker. If this process dies (SIGKILL), the job is declared stalled after
 * lockDuration and handed to another worker (its ffmpeg dies with it: FfmpegRunner's pdeathsig).
 * WORKER_LOCK_MS, default 30 s. A worker dying under a job is usually the machine (a deploy, OOM of a
 * neighbour, a node drain), rarely the file: a job that kills its workers is told apart by where it dies
 * (worker-deaths.ts), so BullMQ's own count of deaths is only a backstop, PeerTube's 10 (job-queue.ts).
 * Beyond it BullMQ fails the job and the API records why.
 */
export function vodLocks(lockMs: number): QueueLocks {
  return { lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 10 };
}

/**
 * Lives (issue 8): a live whose transcoder died must go on elsewhere within about 5 s, so the lock is short
 * (LIVE_WORKER_LOCK_MS, default 2 s) and the other live workers look for stalled jobs every half lock: a
 * dead worker's live is back in the queue after lockDuration plus at most two checks (BullMQ marks on one
 * check and moves on the next), about 3 s by default. Another worker resumes it (LiveHandler continues the
 * same playlists). A live outlives more crashes than a file: each one is a few seconds' gap, not lost work.
 */
export function liveLocks(lockMs: number): QueueLocks {
  return { lockDuration: lockMs, stalledInterval: Math.max(500, Math.floor(lockMs / 2)), maxStalledCount: 20 };
}
