import { extname } from 'node:path';
import { mediaKeys } from '../storage/media-keys.js';

/** Names of files under a media's hls folder that the route may serve: no dots-only, no separators. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

// Apple HLS authoring spec 10.4 content types.
const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.ts': 'video/mp2t',
  '.aac': 'audio/aac',
  '.vtt': 'text/vtt; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
};

export interface HlsFile {
  /** The storage key: `<mediaId>/hls/<segments...>`. */
  key: string;
  contentType: string;
  /** Playlists may be rewritten (while encoding); segments never change under a name. */
  isPlaylist: boolean;
}

/**
 * Pure: maps `/media/<mediaId>/<segments...>` to the object it may serve, or null. At most three
 * segments, each matching a strict pattern (no `..`, no separators, no encoded tricks: Express has
 * already decoded them, so `%2e%2e` arrives as `..` and fails), with a served content type.
 */
export function hlsFile(mediaId: string, segments: string[]): HlsFile | null {
  if (segments.length === 0 || segments.length > 3) return null;
  if (!segments.every((s) => SAFE_SEGMENT.test(s) && !/^\.+$/.test(s))) return null;
  const contentType = CONTENT_TYPES[extname(segments[segments.length - 1]).toLowerCase()];
  if (!contentType) return null;
  return { key: mediaKeys.hls(mediaId, ...segments), contentType, isPlaylist: contentType === CONTENT_TYPES['.m3u8'] };
}
