import { describe, expect, it } from 'vitest';
import { currentJobLogFields, jobLogFields, withJobLogContext } from './log-context.js';

describe(jobLogFields.name, () => {
  it('takes the job id and the ids its payload names', () => {
    expect(jobLogFields({ id: 'm1', name: 'transcode', data: { mediaId: 'm1', roomId: 'r1', extra: 3 } }, 'media')).toEqual({
      jobId: 'm1',
      queue: 'media',
      name: 'transcode',
      mediaId: 'm1',
      roomId: 'r1',
    });
    expect(jobLogFields({ id: 'l1', name: 'live', data: { liveId: 'l1', roomId: 5 } }, 'live')).toEqual({
      jobId: 'l1',
      queue: 'live',
      name: 'live',
      liveId: 'l1',
    });
  });

  it('is what every line sees while the job runs, and nothing after', async () => {
    await withJobLogContext({ jobId: 'j', queue: 'media', name: 'transcode' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentJobLogFields()).toEqual({ jobId: 'j', queue: 'media', name: 'transcode' });
    });
    expect(currentJobLogFields()).toEqual({});
  });
});
