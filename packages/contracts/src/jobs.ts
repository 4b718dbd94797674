import { z } from 'zod';
import { LIVE_MODES } from './live.js';

/** The transcode queue: CPU-bound work, TRANSCODE_CONCURRENCY per worker. */
export const MEDIA_QUEUE = 'media';
/**
 * Live transcodes have their own queue (and their own workers): a live job runs as long as the stream,
 * and a VOD backlog on the media queue must never delay a live (issue 8).
 */
export const LIVE_QUEUE = 'live';

/**
 * The import queue (issue 13): fetching a link into storage, network-bound, with its own concurrency
 * (IMPORT_CONCURRENCY) so slow downloads never hold transcode slots and the other way round.
 */
export const IMPORT_QUEUE = 'media-import';

/**
 * The audio parts of a chunked transcode (issue 11) have a slot of their own (TRANSCODE_AUDIO_CONCURRENCY on
 * every transcoder that consumes the media queue): a part encodes the whole file's audio, and on the media
 * queue it held the only slot of a TRANSCODE_CONCURRENCY=1 worker before chunk 0 could start, so nothing
 * was playable until the whole audio was done. On its own queue it runs beside chunk 0 (AAC: ~1-2% of a core).
 */
export const AUDIO_PART_QUEUE = 'media-audio';

export const JobName = {
  Transcode: 'transcode',
  Live: 'live',
  Import: 'import',
  TranscodeChunk: 'transcode-chunk',
  /** An audio part of a chunked transcode on its own queue (AUDIO_PART_QUEUE); same payload as a chunk. */
  TranscodeAudioPart: 'transcode-audio-part',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const transcodeJobSchema = z.object({
  mediaId: z.uuid(),
  roomId: z.string().min(1).max(64),
});
export type TranscodeJob = z.infer<typeof transcodeJobSchema>;

/**
 * One part of a chunked transcode (issue 11): `audio` (one audio track's whole-file rendition, encoded once) or
 * the video chunk with this index. The span and the ladder are recomputed from the source and these
 * numbers (chunking.ts), so every worker encodes the same chunk whatever its own configuration; the
 * parent transcode job (id = media id) assembles the playlists once every part is done.
 */
export const transcodeChunkJobSchema = z.object({
  mediaId: z.uuid(),
  roomId: z.string().min(1).max(64),
  part: z.union([z.literal('audio'), z.number().int().min(0).max(100_000)]),
  /**
   * With part `audio`: which audio rendition (0-based, in the transcoder's order; absent: the first). Every
   * audio track of the source is its own part, encoded once (issue 12); the transcoder caps the count at 4.
   */
  audioTrack: z.number().int().min(0).max(15).optional(),
  chunkSec: z.number().int().min(2).max(3600),
  /**
   * The first segment's length the parent planned with (issue 11, FIRST_SEGMENT_SEC): chunk 0's keyframes
   * and every chunk's segment numbers depend on it. Absent in jobs queued before it: the uniform 2 s grid.
   */
  firstSegmentSec: z.union([z.literal(1), z.literal(2)]).default(2),
  maxHeight: z.number().int().min(144).max(2160),
  /** When the parent started (ms since the epoch): progress and ETA are of the whole media. */
  startedAt: z.number().int().min(0),
});
export type TranscodeChunkJob = z.infer<typeof transcodeChunkJobSchema>;

/**
 * Where a live transcode reads the stream: the API's RTMP server under an internal name made for this
 * live (never the user's stream key, which is not kept anywhere). Only this shape is accepted, so a forged
 * job cannot point ffmpeg at a file or another protocol.
 */
export const liveIngestUrlSchema = z.string().regex(/^rtmp:\/\/[A-Za-z0-9.-]+:\d{1,5}\/live\/[a-f0-9]{32}$/);

export const liveJobSchema = z.object({
  /** The live's id: its folder `<liveId>/hls` and the id of the replay media it becomes. */
  liveId: z.uuid(),
  roomId: z.string().min(1).max(64),
  ingestUrl: liveIngestUrlSchema,
  /** standard: ffmpeg's own HLS; low: LL-HLS parts cut by the transcoder's packager (absent in jobs queued before it). */
  mode: z.enum(LIVE_MODES).default('standard'),
});
export type LiveJob = z.infer<typeof liveJobSchema>;

/**
 * An import: the link itself is read from the media row (the record), never from the payload. The API
 * reserved `maxBytes` of the person's quota when it created the row: min(upload limit, quota left), and
 * `limitReason` says which of the two it is, for the refusal sentence.
 */
export const importJobSchema = z.object({
  mediaId: z.uuid(),
  roomId: z.string().min(1).max(64),
  maxBytes: z.number().int().positive(),
  limitReason: z.enum(['upload-limit', 'quota']),
});
export type ImportJob = z.infer<typeof importJobSchema>;

/** Payload schema per job name: the worker validates every job against it before doing anything. */
export const jobSchemas = {
  [JobName.Transcode]: transcodeJobSchema,
  [JobName.Live]: liveJobSchema,
  [JobName.Import]: importJobSchema,
  [JobName.TranscodeChunk]: transcodeChunkJobSchema,
  [JobName.TranscodeAudioPart]: transcodeChunkJobSchema.extend({ part: z.literal('audio') }),
} satisfies { [K in JobName]: z.ZodType };

/**
 * The queue each job name travels on: producers add there, and a worker of that queue runs it; a worker
 * refuses a job that arrives on another queue.
 */
export const JOB_QUEUES = {
  [JobName.Transcode]: MEDIA_QUEUE,
  [JobName.Live]: LIVE_QUEUE,
  [JobName.Import]: IMPORT_QUEUE,
  [JobName.TranscodeChunk]: MEDIA_QUEUE,
  [JobName.TranscodeAudioPart]: AUDIO_PART_QUEUE,
} as const satisfies { [K in JobName]: string };

export type JobPayload<K extends JobName> = z.infer<(typeof jobSchemas)[K]>;

/**
 * How a job's failedReason starts when the transcoder failed it as a poison job: its workers kept dying
 * at the same point of it (issue 10). Nobody wrote the media's outcome then, so the API does, as for
 * BullMQ's own "job stalled more than allowable limit".
 */
export const POISON_JOB_FAILURE = 'its worker died at the same point';

/**
 * What a worker reports through job.updateProgress; the API relays it to the room.
 * `stateChanged` says the worker just changed the media's durable state (queued -> processing):
 * BullMQ's own `active` event fires before that write, so it cannot be used to re-read the row.
 * Imports add `bytes` (fetched so far) and `totalBytes` (declared by the server, or null).
 */
export const jobProgressSchema = z.object({
  mediaId: z.uuid(),
  roomId: z.string(),
  percent: z.number().min(0).max(100),
  /** Estimated seconds left, from the worker's own pace. */
  etaSec: z.number().int().min(0).optional(),
  stateChanged: z.boolean().optional(),
  bytes: z.number().int().min(0).optional(),
  totalBytes: z.number().int().min(0).nullable().optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/**
 * Redis pub/sub channel on which the API asks workers to stop a running job (cancel or delete).
 * The message is the media id: it stops that media's import or transcode, whichever runs.
 * BullMQ cannot abort an active job in another process by itself.
 */
export const cancelChannel = (queuePrefix: string) => `${queuePrefix}:${MEDIA_QUEUE}:cancel`;

/**
 * What a live job reports through job.updateProgress: `stateChanged` when it moved the live's row
 * (starting -> live: every rung has its first segment); `speed` is ffmpeg's encode speed (x real time).
 */
export const liveProgressSchema = z.object({
  liveId: z.uuid(),
  roomId: z.string(),
  stateChanged: z.boolean().optional(),
  speed: z.number().min(0).optional(),
});
export type LiveProgress = z.infer<typeof liveProgressSchema>;
