import { z } from 'zod';

/** One BullMQ queue carries all media work; job names say which handler runs. */
export const MEDIA_QUEUE = 'media';

export const JobName = {
  Transcode: 'transcode',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const transcodeJobSchema = z.object({
  mediaId: z.uuid(),
  roomId: z.string().min(1).max(64),
});
export type TranscodeJob = z.infer<typeof transcodeJobSchema>;

/** Payload schema per job name: the worker validates every job against it before doing anything. */
export const jobSchemas = {
  [JobName.Transcode]: transcodeJobSchema,
} satisfies { [K in JobName]: z.ZodType };

export type JobPayload<K extends JobName> = z.infer<(typeof jobSchemas)[K]>;

/**
 * What a worker reports through job.updateProgress; the API relays it to the room.
 * `stateChanged` says the worker just changed the media's durable state (queued -> processing):
 * BullMQ's own `active` event fires before that write, so it cannot be used to re-read the row.
 */
export const jobProgressSchema = z.object({
  mediaId: z.uuid(),
  roomId: z.string(),
  percent: z.number().min(0).max(100),
  /** Estimated seconds left, from the worker's own pace. */
  etaSec: z.number().int().min(0).optional(),
  stateChanged: z.boolean().optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/**
 * Redis pub/sub channel on which the API asks workers to stop a running job (cancel or delete).
 * The message is the media id. BullMQ cannot abort an active job in another process by itself.
 */
export const cancelChannel = (queuePrefix: string) => `${queuePrefix}:${MEDIA_QUEUE}:cancel`;
