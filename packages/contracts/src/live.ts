import { z } from 'zod';
import { roomIdSchema } from './rooms.js';

/**
 * Live streaming (issue 8). A host asks for a stream key, publishes RTMP to `rtmpUrl` + `/` + `streamKey`
 * (OBS "Server" and "Stream Key"), and the room watches the live ladder as HLS at `playbackUrl`.
 */
export const LIVE_STATUSES = ['idle', 'starting', 'live', 'ended'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

export const LIVE_MODES = ['standard', 'low'] as const;
export type LiveMode = (typeof LIVE_MODES)[number];

/**
 * Why a live ended when it was not the publisher or the host who ended it: a bound of the server
 * (LIVE_MAX_DURATION_SEC, LIVE_MAX_DISK_MB on the transcoder). Null for an ordinary end.
 */
export const LIVE_END_REASONS = ['max-duration', 'disk-limit'] as const;
export type LiveEndReason = (typeof LIVE_END_REASONS)[number];

/** What the room is told for each reason (the live's recording is kept up to that point either way). */
export const LIVE_END_SENTENCES: Record<LiveEndReason, string> = {
  'max-duration': 'The live reached the longest a live may run on this server, so it ended.',
  'disk-limit': 'The live reached the disk space a live may use on this server, so it ended.',
};

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
  /**
   * The encoders' WHIP endpoint (OBS 30+: Service "WHIP", "Server"; the stream key is its "Bearer Token"),
   * WHIP_ENCODER_PATH on the public origin. Absent where WHIP is off (WHIP_ENABLED=false, or no ingest).
   */
  whipUrl?: string;
  mode: LiveMode;
}

/** `GET /api/rooms/:id/live` (members), and the socket event `live:state`. */
export interface LiveStateView {
  status: LiveStatus;
  /**
   * The current or last live's id (null when the room never went live): what the room's playback names
   * (PlaybackStateView.liveId, the `live` command), and the id its recording gets as a media item.
   */
  liveId: string | null;
  mode: LiveMode;
  /** Master playlist of the live ladder while starting or live; null otherwise. */
  playbackUrl: string | null;
  startedAt: string | null;
  /** About how far behind the live edge a player should sit (seconds), for the UI until hls.js measures it. */
  latencyHintSec: number;
  /** The media item the last live became (its recording), once it is ready; null before. */
  replayMediaId: string | null;
  /** Set when the server ended the live on a bound (see LIVE_END_SENTENCES); null otherwise. */
  endReason: LiveEndReason | null;
}

/**
 * Stream keys: 32 random bytes, base64url (43 characters). node-media-server only accepts stream names
 * matching /^[a-zA-Z0-9_-]+$/, which base64url always does.
 */
export const streamKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** Segment length of the live ladder (both modes): 1 s segments, a keyframe at each. */
export const LIVE_SEGMENT_SECONDS = 1;
/**
 * Complete segments listed in a live low-latency playlist (the transcoder's packager): how far back a
 * person can pause or scrub and still find their place (the player keeps them there while the window
 * holds it). Five minutes, as a person expects of a pause (a call, the door). The length costs the first
 * load of each rung: hls.js then reloads with delta updates (`_HLS_skip`, CAN-SKIP-UNTIL), which list the
 * last six segments (but never skip past a discontinuity: for five minutes after a resumed live's gap
 * they list every segment since it). Measured with buildLlPlaylist (three parts a segment): 8.3 KB,
 * 1.0 KB gzipped (30 segments: 1.5 KB, 370 bytes).
 */
export const LL_WINDOW_SEGMENTS = 300;
/** hls.js sits this many segments behind the edge (liveSyncDurationCount). */
export const LIVE_SYNC_SEGMENTS = 2;
/** What `latencyHintSec` says for standard mode: the player offset plus about one segment of packaging. */
export const LIVE_LATENCY_HINT_SEC = LIVE_SEGMENT_SECONDS * (LIVE_SYNC_SEGMENTS + 1);
/**
 * What `latencyHintSec` says for low-latency mode (LL-HLS): hls.js sits PART-HOLD-BACK behind the edge
 * (three parts of about 1/3 s: 1.1 s) plus about one part of packaging and the encoder.
 */
export const LIVE_LOW_LATENCY_HINT_SEC = 1.5;
/** The hint for a mode. */
export const liveLatencyHintSec = (mode: LiveMode): number => (mode === 'low' ? LIVE_LOW_LATENCY_HINT_SEC : LIVE_LATENCY_HINT_SEC);

/**
 * A low-latency live's part file inside a rung's folder: the packager (part-cutter.ts) names them so, and the
 * API holds a request for a part of this shape that the playlist hints (EXT-X-PRELOAD-HINT) until it is written.
 */
export const llPartUri = (msn: number, index: number) => `part_${String(msn).padStart(5, '0')}_${index}.m4s`;
export const LL_PART_FILE = /^part_\d+_\d+\.m4s$/;

/**
 * Redis pub/sub channel (under QUEUE_PREFIX) on which the transcoder names each LL-HLS media playlist it
 * rewrote (its storage key, `<liveId>/hls/<rung>/index.m3u8`): every API process re-reads it then and
 * answers the blocking playlist reloads (`_HLS_msn`/`_HLS_part`) it holds for it.
 */
export const LL_PLAYLIST_CHANNEL = 'hls:playlist-written';

/**
 * Going live from the browser (issue 8): the host's page records camera and microphone with MediaRecorder
 * and sends the chunks over a WebSocket at BROWSER_PUBLISH_PATH; the API pipes them into ffmpeg, which
 * publishes RTMP to the API's own ingest, so a browser live is the same live as one from OBS from there on.
 * The fallback of WHIP (whipPath): it needs no UDP ports or TURN, one HTTP(S) port through the same reverse
 * proxy; measured 0.3-0.5 s further behind than WHIP in low-latency mode (bench/live --ingests=browser,recorder).
 */
export const BROWSER_PUBLISH_PATH = '/api/live/publish';

/**
 * Going live from the browser over WebRTC (WHIP, RFC 9725), the page's first choice: it POSTs its SDP offer
 * (`application/sdp`, at most WHIP_OFFER_MAX_BYTES) here and gets 201 with the answer and a `Location` to
 * DELETE when it stops. The API forwards the RTP into an ffmpeg that publishes RTMP to its own ingest, as
 * the recorder relay does. Measured 0.3-0.5 s nearer the publisher than the recorder path in low-latency
 * mode (bench/live: docs/OPERATIONS.md). It needs UDP between browser and server: where WebRTC cannot connect
 * (or WHIP_ENABLED=false: 404), the page falls back to MediaRecorder over BROWSER_PUBLISH_PATH.
 */
export const whipPath = (roomId: string) => `/api/rooms/${roomId}/live/whip`;
/**
 * The WHIP endpoint for encoders (OBS 30+: Settings, Stream, Service "WHIP"): no session, the bearer token
 * is the room's stream key, which names the room. Sessions are `${WHIP_ENCODER_PATH}/<id>` (DELETE ends one).
 */
export const WHIP_ENCODER_PATH = '/api/live/whip';
export const WHIP_OFFER_MAX_BYTES = 16 * 1024;
/** The page gives WebRTC this long to connect after the answer before it falls back to the recorder path. */
export const WHIP_CONNECT_TIMEOUT_MS = 6000;

/** Recorder formats the relay accepts (Chromium and Firefox: WebM; Safari: MP4). */
export const BROWSER_PUBLISH_MIME = /^(video\/webm|video\/x-matroska|video\/mp4)(;\s*codecs="?[a-z0-9.,\s]+"?)?$/i;

/** `?room=<id>&mime=<recorder mimeType>` of the publish WebSocket. */
export const browserPublishQuerySchema = z.object({
  room: roomIdSchema,
  mime: z.string().max(100).regex(BROWSER_PUBLISH_MIME, 'Unsupported recording format.'),
});

/** One binary message: one MediaRecorder chunk (a 250 ms timeslice of 720p is about 100 KiB). */
export const BROWSER_CHUNK_MAX_BYTES = 1024 * 1024;
/** The recorder's timeslice: a chunk this often. */
export const BROWSER_TIMESLICE_MS = 250;
/** The page gives up (and says the upload is too slow) when this much recorded time is still unsent. */
export const BROWSER_MAX_UNSENT_MS = 4000;

/** Why a browser live stopped, as the server tells the page before closing the socket. */
export const BROWSER_PUBLISH_END_REASONS = ['stopped', 'lagging', 'refused', 'ended', 'failed'] as const;
export type BrowserPublishEndReason = (typeof BROWSER_PUBLISH_END_REASONS)[number];

/** Text messages from the server on the publish WebSocket (media goes the other way, as binary). */
export type BrowserPublishMessage = { type: 'ready' } | { type: 'ended'; reason: BrowserPublishEndReason; message: string };

/** What the page shows for each reason (the server sends its own sentence; these are the page's own). */
export const BROWSER_PUBLISH_SENTENCES = {
  lagging: 'Your upload cannot keep up with the video, so going live stopped. Try a lower resolution or a better connection.',
  stalled: 'Your browser stopped sending video, so going live stopped.',
  ended: 'The live ended.',
  failed: 'Going live stopped: the server could not read your video.',
  notHost: 'Only the host can go live in this room.',
  busy: 'This room is already live.',
} as const;
