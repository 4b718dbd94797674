import { JobName } from '@reelroom/contracts';

/** The job names a chunked transcode's parts travel under (each name has its queue: JOB_QUEUES). */
export type PartJobName = typeof JobName.TranscodeChunk | typeof JobName.TranscodeAudioPart;

/**
 * Where a part of a chunked transcode is queued (issue 11, time to first frame). The first playable moment
 * needs chunk 0's first segments of every rung AND the audio's first segments. An audio part encodes the
 * whole file's audio: on the media queue, a TRANSCODE_CONCURRENCY=1 worker ran it to the end before chunk 0
 * (118 s for a 10 min source at load 30). With an audio slot (TRANSCODE_AUDIO_CONCURRENCY > 0) it goes on
 * its own queue and runs beside chunk 0, appending its EVENT playlist segment by segment as it goes.
 * Video chunks stay on the media queue and keep every slot of TRANSCODE_CONCURRENCY.
 */
export function partJobName(part: 'audio' | number, audioSlot: boolean): PartJobName {
  return part === 'audio' && audioSlot ? JobName.TranscodeAudioPart : JobName.TranscodeChunk;
}
