import { JobCancelledError, JobHandedBackError } from './job-context.js';

/** What a handler does about an error, decided in one place (PeerTube's per-job error handling). */
export type FailureDecision =
  /** A person stopped the job; the API already recorded the outcome. No state write, no retry. */
  | { kind: 'cancelled' }
  /** This worker is shutting down: the job goes back to the queue as it is (no attempt used), state back to queued. */
  | { kind: 'handed-back' }
  /** Bad input: retrying the same file cannot help. Failed with this sentence, never retried. */
  | { kind: 'rejected'; reason: string }
  /** Transient (a crash, a lost connection, a timeout) with tries left: back to queued, retried after the backoff. */
  | { kind: 'retry' }
  /** Transient, and this was the last try: failed with a sentence for people. */
  | { kind: 'final'; reason: string };

export interface FailureInput {
  err: unknown;
  /** The job signal's abort reason, if it was aborted. */
  abortReason: unknown;
  attemptsMade: number;
  maxAttempts: number;
  /** Recognises the job's own "bad input" error type and gives its sentence. */
  rejection: (err: unknown) => string | undefined;
  /** The sentence people see when every try failed. */
  finalReason: string;
}

export function decideFailure(f: FailureInput): FailureDecision {
  if (f.abortReason instanceof JobCancelledError) return { kind: 'cancelled' };
  if (f.abortReason instanceof JobHandedBackError) return { kind: 'handed-back' };
  const rejected = f.rejection(f.err);
  if (rejected !== undefined) return { kind: 'rejected', reason: rejected };
  return f.attemptsMade + 1 >= f.maxAttempts ? { kind: 'final', reason: f.finalReason } : { kind: 'retry' };
}
