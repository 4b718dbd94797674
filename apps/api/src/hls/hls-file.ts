import { extname } from 'node:path';
import { MEDIA_FILES, SUBTITLES_FOLDER } from '@reelroom/contracts';
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

// Media bytes that name no other file: segments, init files, poster and storyboard images.
const BYTES_ONLY = new Set(['.m4s', '.mp4', '.ts', '.aac', '.jpg', '.webp']);

export interface HlsFile {
  /** The storage key: `<mediaId>/hls/<segments...>`. */
  key: string;
  contentType: string;
  /** Playlists may be rewritten (while encoding); segments never change under a name. */
  isPlaylist: boolean;
  /**
   * Bytes that name no other file (segments, init, images), so the bucket may send them from its own URL
   * (MEDIA_DELIVERY=signed). Not playlists (no-cache, rewritten while encoding, and relative URIs in them
   * must resolve here), nor WebVTT (the storyboard's cues name its sprite relative to it).
   */
  bytesOnly?: boolean;
  /** The master playlist: served with the media's subtitle renditions added (SubtitleRenditions). */
  isMaster?: boolean;
  /** `subtitles/<id>.m3u8`: no stored object, the playlist is made from the track's row. */
  subtitlePlaylist?: string;
}

const SUBTITLE_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(vtt|m3u8)$/;

/**
 * Pure: maps `/media/<mediaId>/<segments...>` to the object it may serve, or null. At most three
 * segments, each matching a strict pattern (no `..`, no separators, no encoded tricks: Express has
 * already decoded them, so `%2e%2e` arrives as `..` and fails), with a served content type.
 * `folder`: where the hls files are stored (a library copy plays its first row's, issue 12); a media's
 * subtitle tracks are its own, under its id.
 */
export function hlsFile(mediaId: string, segments: string[], folder: string = mediaId): HlsFile | null {
  if (segments.length === 0 || segments.length > 3) return null;
  // Subtitle tracks (issue 12) live beside the hls folder, not in it: subtitles/<uuid>.{vtt,m3u8}.
  if (segments[0] === SUBTITLES_FOLDER) {
    const m = segments.length === 2 ? SUBTITLE_NAME.exec(segments[1]) : null;
    if (!m) return null;
    return m[2] === 'vtt'
      ? { key: mediaKeys.subtitle(mediaId, m[1]), contentType: CONTENT_TYPES['.vtt'], isPlaylist: false }
      : { key: mediaKeys.subtitle(mediaId, m[1]), contentType: CONTENT_TYPES['.m3u8'], isPlaylist: true, subtitlePlaylist: m[1] };
  }
  if (!segments.every((s) => SAFE_SEGMENT.test(s) && !/^\.+$/.test(s))) return null;
  const contentType = CONTENT_TYPES[extname(segments[segments.length - 1]).toLowerCase()];
  if (!contentType) return null;
  const isPlaylist = contentType === CONTENT_TYPES['.m3u8'];
  const file: HlsFile = { key: mediaKeys.hls(folder, ...segments), contentType, isPlaylist };
  if (BYTES_ONLY.has(extname(segments[segments.length - 1]).toLowerCase())) file.bytesOnly = true;
  if (segments.length === 1 && segments[0] === MEDIA_FILES.master) file.isMaster = true;
  return file;
}
