import { z } from 'zod';

/**
 * Live streaming (issue 8). A host asks for a stream key, publishes RTMP to `rtmpUrl` + `/` + `streamKey`
 * (OBS "Server" and "Stream Key"), and the room watches the live ladder as HLS at `playbackUrl`.
 */
export const LIVE_STATUSES = ['idle', 'starting', 'live', 'ended'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

export const LIVE_MODES = ['standard', 'low'] as const;
export type LiveMode = (typeof LIVE_MODES)[number];

/** What the API answers while low-latency (LL-HLS) mode is not built: the mode is refused, never silently downgraded. */
export const LOW_LATENCY_UNAVAILABLE = 'Low-latency mode is not available yet. Use "standard".';

/** `POST /api/rooms/:id/live` (host): creates or replaces the room's stream key. The body may be empty. */
export const startLiveBodySchema = z
  .object({ mode: z.enum(LIVE_MODES).optional() })
  .strict()
  .optional()
  .transform((b) => b ?? {});
export type StartLiveBody = z.input<typeof startLiveBodySchema>;

/** The answer of create and rotate: the only two places the stream key is ever shown. */
export interface LiveKeyView {
  /** The RTMP server URL, e.g. rtmp://example.org:1935/live (OBS "Server"). */
  rtmpUrl: string;
  /** The secret stream key (OBS "Stream Key"); shown once, stored hashed. */
  streamKey: string;
  /** WebRTC ingest (WHIP) endpoint, when browser go-live exists (not yet). */
  whipUrl?: string;
  mode: LiveMode;
}

/** `GET /api/rooms/:id/live` (members), and the socket event `live:state`. */
export interface LiveStateView {
  status: LiveStatus;
  mode: LiveMode;
  /** Master playlist of the live ladder while starting or live; null otherwise. */
  playbackUrl: string | null;
  startedAt: string | null;
  /** About how far behind the live edge a player should sit (seconds), for the UI until hls.js measures it. */
  latencyHintSec: number;
  /** The media item the last live became (its recording), once it is ready; null before. */
  replayMediaId: string | null;
}

/**
 * Stream keys: 32 random bytes, base64url (43 characters). node-media-server only accepts stream names
 * matching /^[a-zA-Z0-9_-]+$/, which base64url always does.
 */
export const streamKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** Segment length of the live ladder (standard mode): 1 s segments, a keyframe at each. */
export const LIVE_SEGMENT_SECONDS = 1;
/** hls.js sits this many segments behind the edge (liveSyncDurationCount). */
export const LIVE_SYNC_SEGMENTS = 2;
/** What `latencyHintSec` says for standard mode: the player offset plus about one segment of packaging. */
export const LIVE_LATENCY_HINT_SEC = LIVE_SEGMENT_SECONDS * (LIVE_SYNC_SEGMENTS + 1);
