import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';
import type { HlsMediaPlaylist } from './hls-playlist.parser.js';

/**
 * Refuses a media playlist we cannot turn into one file by concatenating its segments. Pure.
 * - Encryption (EXT-X-KEY other than NONE): we would have to fetch keys and decrypt; not supported.
 * - Byte ranges: not supported yet (each range would need a Range request and the same budget).
 * - Live lists (no EXT-X-ENDLIST, not PLAYLIST-TYPE:VOD): they never end.
 * - A change of init segment midway: the concatenation would not be one valid fMP4 stream.
 */
export function assertImportableMedia(media: HlsMediaPlaylist): void {
  if (media.encryption) throw new FetchError('hls-encrypted', FETCH_MESSAGES.hlsEncrypted, `METHOD=${media.encryption}`);
  if (media.usesByteRanges) throw new FetchError('hls-byte-ranges', FETCH_MESSAGES.hlsByteRanges);
  if (!media.ended && media.playlistType !== 'VOD') throw new FetchError('hls-live', FETCH_MESSAGES.hlsLive);
  if (media.segments.length === 0) throw new FetchError('hls-empty', FETCH_MESSAGES.hlsEmpty);
  const maps = new Set(media.segments.map((s) => s.map));
  if (maps.size > 1) throw new FetchError('hls-mixed-init', FETCH_MESSAGES.hlsMixedInit, [...maps].join(' | ').slice(0, 500));
}
