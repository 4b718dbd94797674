import { describe, expect, it } from 'vitest';
import { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';
import { JobCancelledError, JobHandedBackError, JobTimeoutError } from './job-context.js';
import { decideFailure, type FailureInput } from './job-failure.js';

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
