import { JobTimeoutError } from './job-context.js';

/** After the budget runs out, how long the handler gets to stop and record its outcome itself. */
export const BUDGET_GRACE_MS = 30_000;

/**
 * Runs one try within its wall-clock budget (JOB_POLICIES' attemptTimeoutMs), as PeerTube's
 * timeoutPromise does: BullMQ has no job timeout, and a stuck handler would renew its lock forever.
 * At the budget the try's AbortController is aborted with a JobTimeoutError (ffmpeg is killed, the
 * handler records the failure); a handler that still has not returned BUDGET_GRACE_MS later is left
 * behind and the try rejects, so the job is released and retried or failed.
 */
export async function withinBudget<T>(
  run: () => Promise<T>,
  abort: AbortController,
  budgetMs: number,
  graceMs = BUDGET_GRACE_MS,
): Promise<T> {
  let budgetTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    budgetTimer = setTimeout(() => {
      const reason = new JobTimeoutError(`the try ran longer than its ${Math.round(budgetMs / 1000)} s budget`);
      abort.abort(reason);
      graceTimer = setTimeout(() => reject(reason), graceMs);
    }, budgetMs);
  });
  try {
    return await Promise.race([run(), expired]);
  } finally {
    clearTimeout(budgetTimer);
    clearTimeout(graceTimer);
  }
}
