const PLAYLIST_TYPES = new Set(['application/vnd.apple.mpegurl', 'application/x-mpegurl', 'audio/mpegurl', 'audio/x-mpegurl']);

/** How many first bytes detection needs: a BOM, some blank space and "#EXTM3U". */
export const PLAYLIST_SNIFF_BYTES = 64;

/**
 * Is this response an HLS playlist rather than a media file? By its declared type or by its first bytes
 * ("#EXTM3U"), never by the URL's extension alone (a `.m3u8` link may serve a video and vice versa). Pure.
 */
export function looksLikePlaylist(contentType: string | null, head: Buffer): boolean {
  const type = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  if (PLAYLIST_TYPES.has(type)) return true;
  const text = head
    .subarray(0, PLAYLIST_SNIFF_BYTES)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('#EXTM3U');
}
