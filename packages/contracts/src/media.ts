import { z } from 'zod';

// `importing`: added by link, the server is fetching the file (issue 13); then the usual queued -> processing -> ready.
export const MEDIA_STATUSES = ['importing', 'queued', 'processing', 'ready', 'failed'] as const;
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

export type MediaKind = 'video' | 'audio';

export interface MediaView {
  id: string;
  roomId: string;
  uploaderId: string;
  originalName: string;
  /** Bytes of the source file; while importing, the quota reserved for the fetch (its cap). */
  sizeBytes: number;
  status: MediaStatus;
  /** `audio` for audio-only uploads: an audio HLS stream shown with the poster. */
  kind: MediaKind;
  /** 0-100 (while importing: of the bytes, when the server declared the size; else 0) */
  progress: number;
  /** The link it was added by (null for uploads). */
  sourceUrl: string | null;
  /** While importing: bytes fetched so far, and the expected total when known (null otherwise). */
  importedBytes: number | null;
  importTotalBytes: number | null;
  /** Estimated seconds until ready while processing; null when unknown. */
  etaSec: number | null;
  /** 1-based position among waiting jobs while queued; null otherwise or when unknown. */
  queuePosition: number | null;
  /**
   * True once the first segment of every rendition exists: the media can be played from the start
   * while encoding continues (status stays `processing` until the stream is complete).
   */
  playable: boolean;
  /** Why the media failed, in words a person understands; null unless status is failed. */
  error: string | null;
  durationSec: number | null;
  width: number | null;
  height: number | null;
  renditions: Rendition[];
  /** URL of the master playlist, null until the media is playable. */
  playbackUrl: string | null;
  /** Poster image URL (JPEG), null until written. */
  posterUrl: string | null;
  /** Storyboard WebVTT (cues point into a sprite with #xywh=), null until written. */
  storyboardUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Files of a media item, served from the same origin as the API under /media/<id>/, mapped to
 * MEDIA_ROOT/<id>/hls/. The transcoder writes these names; the API serves them.
 */
export const MEDIA_FILES = {
  master: 'master.m3u8',
  poster: 'poster.jpg',
  storyboardVtt: 'storyboard.vtt',
  storyboardSprite: 'storyboard.jpg',
} as const;
/**
 * Every rung's media playlist, inside the rung's folder (`<rung>/index.m3u8`): the transcoder writes it, the
 * API serves it and holds blocking reloads and preload-hinted part requests on it.
 */
export const MEDIA_PLAYLIST_NAME = 'index.m3u8';
export const mediaFileUrl = (mediaId: string, file: string) => `/media/${mediaId}/${file}`;
/**
 * POST /api/media/:mediaId/cast: a playback URL for a casting receiver (another origin, no cookie),
 * `/media/<id>/t/<token>/master.m3u8`, valid for this one media until `expiresAt`.
 */
export interface CastUrlView {
  /** Path on this server; prefix the origin for a receiver. */
  url: string;
  expiresAt: string;
}

export const mediaPlaybackPath = (mediaId: string) => mediaFileUrl(mediaId, MEDIA_FILES.master);
