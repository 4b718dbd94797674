import { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';
import { JobCancelledError, JobHandedBackError, type JobContext } from './job-context.js';

/** What people read when every try of a transcode (the whole file or one of its chunks) failed for a reason that is not the file's fault. */
export const FINAL_FAILURE = 'We could not convert this video. The file may be damaged; try exporting it again.';

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

/** What a kind of job counts as bad input, and what people read when its last try failed. */
export interface FailureRules {
  /** Recognises the job's own "bad input" error type and gives its sentence. */
  rejection: (err: unknown) => string | undefined;
  /** The sentence people see when every try failed. */
  finalReason: string;
}

export interface FailureInput extends FailureRules {
  err: unknown;
  /** The job signal's abort reason, if it was aborted. */
  abortReason: unknown;
  attemptsMade: number;
  maxAttempts: number;
}

export function decideFailure(f: FailureInput): FailureDecision {
  if (f.abortReason instanceof JobCancelledError) return { kind: 'cancelled' };
  if (f.abortReason instanceof JobHandedBackError) return { kind: 'handed-back' };
  const rejected = f.rejection(f.err);
  if (rejected !== undefined) return { kind: 'rejected', reason: rejected };
  return f.attemptsMade + 1 >= f.maxAttempts ? { kind: 'final', reason: f.finalReason } : { kind: 'retry' };
}

/** The decision for an error a handler caught, with the abort reason and attempt counts read from its job. */
export function decideJobFailure(
  err: unknown,
  job: Pick<JobContext, 'signal' | 'attemptsMade' | 'maxAttempts'>,
  rules: FailureRules,
): FailureDecision {
  return decideFailure({
    err,
    abortReason: job.signal.aborted ? job.signal.reason : undefined,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.maxAttempts,
    ...rules,
  });
}

/**
 * A transcode and each of its chunks (issue 11) fail alike: a source ffmpeg refuses is bad input with its
 * own sentence, anything else is transient and ends in FINAL_FAILURE.
 */
export const TRANSCODE_FAILURE_RULES: FailureRules = {
  rejection: (err) => (err instanceof MediaRejectedError ? err.message : undefined),
  finalReason: FINAL_FAILURE,
};
