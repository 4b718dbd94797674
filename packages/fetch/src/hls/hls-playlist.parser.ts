import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';

export interface HlsVariant {
  /** Absolute URL of the variant's media playlist. */
  uri: string;
  bandwidth: number;
  averageBandwidth: number | null;
  width: number | null;
  height: number | null;
  codecs: string | null;
  audioGroup: string | null;
}

export interface HlsRendition {
  type: string;
  groupId: string;
  /** Absolute URL, or null when the rendition is carried inside the variant's own segments. */
  uri: string | null;
}

export interface HlsMasterPlaylist {
  kind: 'master';
  variants: HlsVariant[];
  renditions: HlsRendition[];
  /** The METHOD of an EXT-X-SESSION-KEY other than NONE, if any. */
  encryption: string | null;
}

export interface HlsSegment {
  uri: string;
  duration: number;
  /** The EXT-X-MAP (init segment) in force for this segment, absolute, or null. */
  map: string | null;
}

export interface HlsMediaPlaylist {
  kind: 'media';
  segments: HlsSegment[];
  /** The first EXT-X-KEY METHOD other than NONE, if any. */
  encryption: string | null;
  /** Any EXT-X-BYTERANGE, or an EXT-X-MAP with BYTERANGE. */
  usesByteRanges: boolean;
  /** EXT-X-ENDLIST seen: the list is complete. */
  ended: boolean;
  playlistType: string | null;
  durationSec: number;
}

export type HlsPlaylist = HlsMasterPlaylist | HlsMediaPlaylist;

export interface ParseLimits {
  maxVariants: number;
  maxSegments: number;
}

const invalid = (detail: string) => new FetchError('hls-invalid', FETCH_MESSAGES.hlsInvalid, detail);

/**
 * `KEY=value,KEY="quoted, with commas"` -> map. Tolerant: names are upper-cased, quotes removed, pieces
 * that are not KEY=value are skipped.
 */
export function parseAttributes(list: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z0-9-]+)\s*=\s*(?:"([^"]*)"|([^,]*))\s*(?:,|$)/y;
  let pos = 0;
  while (pos < list.length) {
    re.lastIndex = pos;
    const m = re.exec(list);
    if (!m) {
      const comma = list.indexOf(',', pos);
      if (comma < 0) break;
      pos = comma + 1;
      continue;
    }
    out.set(m[1].toUpperCase(), (m[2] ?? m[3] ?? '').trim());
    pos = re.lastIndex;
  }
  return out;
}

function resolveUri(uri: string, base: URL): string {
  try {
    return new URL(uri, base).href;
  } catch {
    throw invalid(`URI ${uri.slice(0, 200)}`);
  }
}

function positiveNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function tagValue(line: string): string {
  const colon = line.indexOf(':');
  return colon < 0 ? '' : line.slice(colon + 1);
}

/**
 * Our own HLS playlist parser (RFC 8216), tolerant of what real servers write (CRLF, a BOM, blank lines,
 * unknown tags, missing attributes) and bounded: it stops as soon as a list has more variants or segments
 * than allowed, so a hostile playlist cannot make us build a huge structure. Every URI comes back
 * absolute, resolved against the playlist's own URL; they are checked by the fetcher's policy when fetched.
 */
export function parsePlaylist(text: string, base: URL, limits: ParseLimits): HlsPlaylist {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim());
  const first = lines.findIndex((l) => l !== '');
  if (first < 0 || !lines[first].startsWith('#EXTM3U')) throw invalid('no #EXTM3U header');

  const variants: HlsVariant[] = [];
  const renditions: HlsRendition[] = [];
  const segments: HlsSegment[] = [];
  let sessionEncryption: string | null = null;
  let encryption: string | null = null;
  let usesByteRanges = false;
  let ended = false;
  let playlistType: string | null = null;
  let map: string | null = null;
  let pendingVariant: Map<string, string> | null = null;
  let pendingDuration: number | null = null;
  let sawSegmentTag = false;

  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    if (line.startsWith('#')) {
      const tag = line.split(':', 1)[0].toUpperCase();
      switch (tag) {
        case '#EXT-X-STREAM-INF':
          pendingVariant = parseAttributes(tagValue(line));
          break;
        case '#EXT-X-MEDIA': {
          const a = parseAttributes(tagValue(line));
          const uri = a.get('URI');
          renditions.push({
            type: (a.get('TYPE') ?? '').toUpperCase(),
            groupId: a.get('GROUP-ID') ?? '',
            uri: uri ? resolveUri(uri, base) : null,
          });
          break;
        }
        case '#EXT-X-SESSION-KEY': {
          const method = (parseAttributes(tagValue(line)).get('METHOD') ?? '').toUpperCase();
          if (method !== 'NONE') sessionEncryption ??= method || 'UNKNOWN';
          break;
        }
        case '#EXTINF': {
          sawSegmentTag = true;
          pendingDuration = positiveNumber(tagValue(line).split(',', 1)[0]?.trim()) ?? 0;
          break;
        }
        case '#EXT-X-KEY': {
          sawSegmentTag = true;
          const method = (parseAttributes(tagValue(line)).get('METHOD') ?? '').toUpperCase();
          if (method !== 'NONE') encryption ??= method || 'UNKNOWN';
          break;
        }
        case '#EXT-X-BYTERANGE':
          sawSegmentTag = true;
          usesByteRanges = true;
          break;
        case '#EXT-X-MAP': {
          sawSegmentTag = true;
          const a = parseAttributes(tagValue(line));
          if (a.has('BYTERANGE')) usesByteRanges = true;
          const uri = a.get('URI');
          if (!uri) throw invalid('EXT-X-MAP without URI');
          map = resolveUri(uri, base);
          break;
        }
        case '#EXT-X-ENDLIST':
          ended = true;
          break;
        case '#EXT-X-PLAYLIST-TYPE':
          playlistType = tagValue(line).trim().toUpperCase() || null;
          break;
        default:
          break; // unknown tags and comments
      }
      continue;
    }
    // A URI line: it belongs to the EXT-X-STREAM-INF or EXTINF before it.
    if (pendingVariant) {
      if (variants.length >= limits.maxVariants) {
        throw new FetchError('hls-too-many-variants', FETCH_MESSAGES.hlsTooManyVariants(limits.maxVariants));
      }
      variants.push(toVariant(pendingVariant, resolveUri(line, base)));
      pendingVariant = null;
      continue;
    }
    if (segments.length >= limits.maxSegments) {
      throw new FetchError('hls-too-many-segments', FETCH_MESSAGES.hlsTooManySegments(limits.maxSegments));
    }
    // Tolerated: a URI without #EXTINF counts as a segment of unknown duration.
    sawSegmentTag = true;
    segments.push({ uri: resolveUri(line, base), duration: pendingDuration ?? 0, map });
    pendingDuration = null;
  }

  if (variants.length > 0) {
    if (sawSegmentTag) throw invalid('both variants and segments');
    return { kind: 'master', variants, renditions, encryption: sessionEncryption };
  }
  const durationSec = segments.reduce((sum, s) => sum + s.duration, 0);
  return { kind: 'media', segments, encryption, usesByteRanges, ended, playlistType, durationSec };
}

function toVariant(a: Map<string, string>, uri: string): HlsVariant {
  const resolution = /^(\d{1,6})x(\d{1,6})$/i.exec(a.get('RESOLUTION') ?? '');
  return {
    uri,
    bandwidth: positiveNumber(a.get('BANDWIDTH')) ?? 0,
    averageBandwidth: positiveNumber(a.get('AVERAGE-BANDWIDTH')),
    width: resolution ? Number(resolution[1]) : null,
    height: resolution ? Number(resolution[2]) : null,
    codecs: a.get('CODECS') || null,
    audioGroup: a.get('AUDIO') || null,
  };
}
