import { z } from 'zod';

export const MEDIA_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

export const RENDITION_NAMES = ['high', 'medium', 'low'] as const;
export type RenditionName = (typeof RENDITION_NAMES)[number];

export const renditionSchema = z.object({
  name: z.enum(RENDITION_NAMES),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Peak bandwidth in bits per second, measured from the written segments. */
  bitrate: z.number().int().positive(),
});
export type Rendition = z.infer<typeof renditionSchema>;

export const mediaIdSchema = z.uuid();

export interface MediaView {
  id: string;
  roomId: string;
  originalName: string;
  sizeBytes: number;
  status: MediaStatus;
  /** 0-100 */
  progress: number;
  /** Why the media failed, in words a person understands; null unless status is failed. */
  error: string | null;
  durationSec: number | null;
  width: number | null;
  height: number | null;
  renditions: Rendition[];
  /** URL of the master playlist, null until the media is ready. */
  playbackUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Where HLS output of a media item is served from (same origin as the API). */
export const mediaPlaybackPath = (mediaId: string) => `/media/${mediaId}/master.m3u8`;
