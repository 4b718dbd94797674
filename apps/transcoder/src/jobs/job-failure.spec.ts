import { describe, expect, it } from 'vitest';
import { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';
import { JobCancelledError, JobHandedBackError, JobTimeoutError } from './job-context.js';
import { decideFailure, decideJobFailure, FINAL_FAILURE, TRANSCODE_FAILURE_RULES, type FailureInput } from './job-failure.js';

const input = (over: Partial<FailureInput>): FailureInput => ({
  err: new Error('ffmpeg exited with 1'),
  abortReason: undefined,
  attemptsMade: 0,
  maxAttempts: 2,
  rejection: (e) => (e instanceof MediaRejectedError ? e.message : undefined),
  finalReason: 'We could not convert this video.',
  ...over,
});

describe(decideFailure.name, () => {
  it('retries a transient error while tries remain, and fails with the sentence only on the last one', () => {
    expect(decideFailure(input({ attemptsMade: 0 }))).toEqual({ kind: 'retry' });
    expect(decideFailure(input({ attemptsMade: 1 }))).toEqual({ kind: 'final', reason: 'We could not convert this video.' });
    expect(decideFailure(input({ maxAttempts: 1 }))).toEqual({ kind: 'final', reason: 'We could not convert this video.' });
  });

  it('never retries bad input, even on the first try, and keeps its own sentence', () => {
    expect(decideFailure(input({ err: new MediaRejectedError('This file has 21 streams; we accept at most 16.') }))).toEqual({
      kind: 'rejected',
      reason: 'This file has 21 streams; we accept at most 16.',
    });
  });

  it('treats a cancel as the end whatever the error was, and a timeout as transient', () => {
    expect(decideFailure(input({ abortReason: new JobCancelledError('x'), err: new MediaRejectedError('y') }))).toEqual({
      kind: 'cancelled',
    });
    expect(decideFailure(input({ abortReason: new JobTimeoutError('budget') }))).toEqual({ kind: 'retry' });
  });

  it('hands a job back at shutdown even on its last try or with an error that looks like bad input', () => {
    const handedBack = new JobHandedBackError('shutting down');
    expect(decideFailure(input({ abortReason: handedBack, attemptsMade: 1 }))).toEqual({ kind: 'handed-back' });
    expect(decideFailure(input({ abortReason: handedBack, err: new MediaRejectedError('y') }))).toEqual({ kind: 'handed-back' });
  });
});

describe(decideJobFailure.name, () => {
  const job = (over: { reason?: unknown; attemptsMade?: number; maxAttempts?: number } = {}) => {
    const controller = new AbortController();
    if (over.reason !== undefined) controller.abort(over.reason);
    return { signal: controller.signal, attemptsMade: over.attemptsMade ?? 0, maxAttempts: over.maxAttempts ?? 2 };
  };

  it('reads the abort reason only from an aborted signal, and the attempt counts from the job', () => {
    expect(decideJobFailure(new Error('crash'), job(), TRANSCODE_FAILURE_RULES)).toEqual({ kind: 'retry' });
    expect(decideJobFailure(new Error('crash'), job({ attemptsMade: 1 }), TRANSCODE_FAILURE_RULES)).toEqual({
      kind: 'final',
      reason: FINAL_FAILURE,
    });
    expect(decideJobFailure(new Error('crash'), job({ reason: new JobCancelledError('x') }), TRANSCODE_FAILURE_RULES)).toEqual({
      kind: 'cancelled',
    });
    expect(decideJobFailure(new Error('crash'), job({ reason: new JobHandedBackError('x') }), TRANSCODE_FAILURE_RULES)).toEqual({
      kind: 'handed-back',
    });
  });

  it('treats a source ffmpeg refuses as bad input for a whole transcode and for each of its chunks', () => {
    expect(decideJobFailure(new MediaRejectedError('This file has no video or audio.'), job(), TRANSCODE_FAILURE_RULES)).toEqual({
      kind: 'rejected',
      reason: 'This file has no video or audio.',
    });
  });
});
