import { describe, expect, it } from 'vitest';
import { AUDIO_PART_QUEUE, JOB_QUEUES, JobName, jobSchemas, MEDIA_QUEUE } from '@reelroom/contracts';
import { partJobName } from './part-queue.js';

describe(partJobName.name, () => {
  it('puts an audio part on the audio slot when there is one, beside the video chunks', () => {
    expect(partJobName('audio', true)).toBe(JobName.TranscodeAudioPart);
    expect(JOB_QUEUES[partJobName('audio', true)]).toBe(AUDIO_PART_QUEUE);
  });

  it('keeps every video chunk on the media queue, audio slot or not', () => {
    for (const slot of [true, false]) {
      expect(partJobName(0, slot)).toBe(JobName.TranscodeChunk);
      expect(JOB_QUEUES[partJobName(7, slot)]).toBe(MEDIA_QUEUE);
    }
  });

  it('without an audio slot, queues the audio on the media queue as before (a TRANSCODE_CONCURRENCY slot)', () => {
    expect(partJobName('audio', false)).toBe(JobName.TranscodeChunk);
  });

  it('accepts only audio parts on the audio queue', () => {
    const part = { mediaId: '5b9f8a52-2a3e-4f7c-9d41-0c6a1e2b3d4f', roomId: 'r', chunkSec: 40, maxHeight: 1080, startedAt: 0 };
    expect(jobSchemas[JobName.TranscodeAudioPart].safeParse({ ...part, part: 'audio', audioTrack: 1 }).success).toBe(true);
    expect(jobSchemas[JobName.TranscodeAudioPart].safeParse({ ...part, part: 0 }).success).toBe(false);
  });
});
