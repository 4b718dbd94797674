/**
 * LL-HLS requests that wait for the packager (RFC 8216bis): blocking playlist reloads (6.2.5.2: reading
 * the request's `_HLS_msn`/`_HLS_part`, where a stored playlist's live edge is, and whether to answer now,
 * hold the request, or refuse it) and requests for the preload-hinted part (6.2.6). The rules are pure;
 * the holds reach storage and the playlist bell only through their ports.
 */

/** What a player asked for: a segment (msn) or one of its parts. */
export interface BlockingRequest {
  msn: number;
  part?: number;
}

/** RFC 8216bis 6.2.5.2: a part this far past the last listed one is refused, not waited for. */
export const ADVANCE_PART_LIMIT = 3;

const DIGITS = /^\d{1,9}$/;

/**
 * Pure: the request's blocking parameters; null when it has none (a plain reload), 'bad' when they are
 * malformed: not a non-negative integer, given twice, or `_HLS_part` without `_HLS_msn`.
 */
export function parseBlockingQuery(query: Record<string, unknown>): BlockingRequest | null | 'bad' {
  const msn = query._HLS_msn;
  const part = query._HLS_part;
  if (msn === undefined) return part === undefined ? null : 'bad';
  if (typeof msn !== 'string' || !DIGITS.test(msn)) return 'bad';
  if (part === undefined) return { msn: Number(msn) };
  if (typeof part !== 'string' || !DIGITS.test(part)) return 'bad';
  return { msn: Number(msn), part: Number(part) };
}

/** Where a media playlist's live edge is. */
export interface PlaylistEdge {
  /** The playlist offers blocking reload (CAN-BLOCK-RELOAD=YES) and has not ended. */
  live: boolean;
  /** Media sequence number of the last complete segment; -1 when none is listed yet. */
  lastMsn: number;
  /** How many parts of the next segment (lastMsn + 1) are listed. */
  nextParts: number;
  /** EXT-X-TARGETDURATION (seconds): a held request gives up after three of them. */
  targetDurationSec: number;
}

/** Pure: reads the edge of a media playlist as our packager writes it (EXT-X-PART tags after the last EXTINF belong to the open segment). */
export function playlistEdge(text: string): PlaylistEdge {
  let sequence = 0;
  let segments = 0;
  let trailingParts = 0;
  let canBlock = false;
  let ended = false;
  let target = 1;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) sequence = Number.parseInt(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length), 10) || 0;
    else if (line.startsWith('#EXT-X-TARGETDURATION:')) target = Number.parseInt(line.slice('#EXT-X-TARGETDURATION:'.length), 10) || 1;
    else if (line.startsWith('#EXT-X-SERVER-CONTROL:')) canBlock = /CAN-BLOCK-RELOAD=YES/.test(line);
    else if (line === '#EXT-X-ENDLIST') ended = true;
    else if (line.startsWith('#EXT-X-PART:')) trailingParts += 1;
    else if (line !== '' && !line.startsWith('#')) {
      segments += 1;
      trailingParts = 0;
    }
  }
  return { live: canBlock && !ended, lastMsn: sequence + segments - 1, nextParts: trailingParts, targetDurationSec: target };
}

/**
 * Pure: answer now ('ready': the playlist holds the segment, or the part, or anything later), hold it
 * ('wait'), or refuse it ('bad': RFC 8216bis: an msn more than two past the last segment, or a part more
 * than the advance limit past the last listed one). A playlist that does not block (standard HLS, or a
 * live that ended) is always ready: the player gets what there is.
 */
export function reloadDecision(edge: PlaylistEdge, req: BlockingRequest): 'ready' | 'wait' | 'bad' {
  if (!edge.live) return 'ready';
  if (req.msn > edge.lastMsn + 2) return 'bad';
  if (req.msn <= edge.lastMsn) return 'ready';
  if (req.msn === edge.lastMsn + 1) {
    const part = req.part ?? Infinity;
    if (part < edge.nextParts) return 'ready';
    if (req.part !== undefined && req.part >= edge.nextParts + ADVANCE_PART_LIMIT) return 'bad';
    return 'wait';
  }
  // Two past the last segment: parts of the next one first, then this one's.
  if (req.part !== undefined && req.part >= ADVANCE_PART_LIMIT) return 'bad';
  return 'wait';
}

/** RFC 8216bis 6.2.5.2: a held request that the playlist does not reach within three target durations gets 503. */
export const BLOCKING_TIMEOUT_TARGETS = 3;
/** A held request re-reads the store at least this often, in case the message of a rewrite was lost. */
export const BLOCKING_REREAD_MS = 1000;

/** The next announced rewrite of one playlist, listened for from the moment it was asked for. */
export interface ChangeLatch {
  /** Resolves at once if the rewrite came already, else at the rewrite or after `ms`. */
  wait: (ms: number) => Promise<void>;
  /** Stops listening (idempotent). */
  cancel: () => void;
}

export interface HoldPorts {
  /** The stored playlist now, or null when there is none. */
  read: () => Promise<Buffer | null>;
  /** Starts listening for the playlist's next announced rewrite. */
  nextChange: () => Promise<ChangeLatch>;
  now: () => number;
  /** Aborted when the client goes away: the hold ends at once ('gone') instead of waiting out its timeout. */
  signal?: AbortSignal;
}

/** Waits for the latch, or less when the client goes away (the caller then sees `signal.aborted`). */
function waitUnlessGone(latch: ChangeLatch, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return latch.wait(ms);
  if (signal.aborted) return Promise.resolve();
  let onAbort: (() => void) | undefined;
  const gone = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([latch.wait(ms), gone]).finally(() => signal.removeEventListener('abort', onAbort!));
}

/**
 * A blocking reload: re-reads the playlist at each announced rewrite until it holds what was asked
 * (its bytes), it is gone (null), the request is too far ahead when it comes ('bad': 400), three
 * target durations passed ('timeout': 503) or the client went away ('gone': nothing to answer).
 */
export async function holdPlaylist(asked: BlockingRequest, ports: HoldPorts): Promise<Buffer | null | 'bad' | 'timeout' | 'gone'> {
  const started = ports.now();
  for (let first = true; ; first = false) {
    if (ports.signal?.aborted) return 'gone';
    // Listening starts before the read: a part announced while the store is read wakes the wait below at
    // once. Listening after the read missed that ring and held the player a whole re-read interval.
    const next = await ports.nextChange();
    try {
      const bytes = await ports.read();
      if (!bytes) return null;
      const edge = playlistEdge(bytes.toString('utf8'));
      const decision = reloadDecision(edge, asked);
      if (decision === 'ready') return bytes;
      // Only on arrival: a held request stays valid when the edge steps back (a resumed low-latency live
      // drops the dead worker's unfinished parts and writes that segment's parts again), so it waits on for
      // the new worker's parts of the same numbers, or 503 at the timeout.
      if (decision === 'bad' && first) return 'bad';
      const left = started + edge.targetDurationSec * BLOCKING_TIMEOUT_TARGETS * 1000 - ports.now();
      if (left <= 0) return 'timeout';
      await waitUnlessGone(next, Math.min(left, BLOCKING_REREAD_MS), ports.signal);
    } finally {
      next.cancel();
    }
  }
}

const PRELOAD_HINT = '#EXT-X-PRELOAD-HINT:';

/**
 * Pure: the playlist is a live LL-HLS playlist whose preload hint (RFC 8216bis 4.4.5.3) names `uri`: the
 * part the packager writes next, which a player may ask for before it exists. The hint's attributes are
 * read in any order (TYPE=PART, URI); a hint of a byte range of the part still names the part.
 */
export function hintsPart(playlist: string, uri: string): boolean {
  if (!playlistEdge(playlist).live) return false;
  return playlist.split('\n').some((raw) => {
    const line = raw.trim();
    if (!line.startsWith(PRELOAD_HINT)) return false;
    const attrs = hintAttributes(line.slice(PRELOAD_HINT.length));
    return attrs.get('TYPE') === 'PART' && attrs.get('URI') === uri;
  });
}

/** Pure: an attribute list (RFC 8216bis 4.2): NAME=value pairs, quoted strings unquoted; commas inside quotes kept. */
function hintAttributes(list: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) out.set(m[1], m[2].startsWith('"') ? m[2].slice(1, -1) : m[2]);
  return out;
}

export interface HintHoldPorts {
  /** Whether the part is on storage now. */
  exists: () => Promise<boolean>;
  /** The rung's stored playlist now, or null when there is none. */
  playlist: () => Promise<Buffer | null>;
  /** Starts listening for the playlist's next announced rewrite. */
  nextChange: () => Promise<ChangeLatch>;
  now: () => number;
  /** Aborted when the client goes away: the hold ends at once (false). */
  signal?: AbortSignal;
}

/**
 * A request for a part that is not on storage: when the rung's playlist hints it as its next part, held
 * until the part is written (true: serve it), as RFC 8216bis 6.2.6 expects of a server that advertises
 * preload hints (a native player such as Safari's asks for the hinted part as soon as it reads the hint;
 * hls.js does not use hints). False at once when the playlist does not hint it (a stale or made-up name: 404), when
 * the playlist moves on without it (the live ended), after three target durations, or when the client goes away.
 */
export async function holdHintedPart(uri: string, ports: HintHoldPorts): Promise<boolean> {
  // Most parts asked for and missing are not the hint (a stale or made-up name, a video's): one read of
  // the playlist answers those, without listening for its rewrites.
  const first = await ports.playlist();
  if (!first || !hintsPart(first.toString('utf8'), uri)) return ports.exists();
  const started = ports.now();
  for (;;) {
    if (ports.signal?.aborted) return false;
    const next = await ports.nextChange();
    try {
      if (await ports.exists()) return true;
      const bytes = await ports.playlist();
      if (!bytes) return false;
      const text = bytes.toString('utf8');
      // Written between the two reads: the playlist has moved on and lists it.
      if (!hintsPart(text, uri)) return await ports.exists();
      const left = started + playlistEdge(text).targetDurationSec * BLOCKING_TIMEOUT_TARGETS * 1000 - ports.now();
      if (left <= 0) return false;
      await waitUnlessGone(next, Math.min(left, BLOCKING_REREAD_MS), ports.signal);
    } finally {
      next.cancel();
    }
  }
}
