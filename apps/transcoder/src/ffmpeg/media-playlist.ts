/** Minimal reader for the VOD media playlists ffmpeg writes: enough to find and measure segments. */
export interface MediaPlaylist {
  /** URI of #EXT-X-MAP (the fMP4 init segment), if any. */
  mapUri?: string;
  segments: Array<{ durationSec: number; uri: string }>;
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new Error('not an m3u8 playlist');
  const playlist: MediaPlaylist = { segments: [] };
  let pending: number | undefined;
  for (const line of lines) {
    if (line === '') continue;
    if (line.startsWith('#EXT-X-MAP:')) {
      const m = /URI="([^"]*)"/.exec(line);
      if (m) playlist.mapUri = m[1];
    } else if (line.startsWith('#EXTINF:')) {
      pending = Number.parseFloat(line.slice('#EXTINF:'.length));
      if (!Number.isFinite(pending)) throw new Error(`bad EXTINF line: ${line}`);
    } else if (!line.startsWith('#')) {
      if (pending === undefined) throw new Error(`segment without EXTINF: ${line}`);
      playlist.segments.push({ durationSec: pending, uri: line });
      pending = undefined;
    }
  }
  return playlist;
}

/** Replaces the EXT-X-MAP URI, keeping any other attributes (BYTERANGE). */
export function replaceMapUri(text: string, uri: string): string {
  return text.replace(/^(#EXT-X-MAP:.*?URI=")[^"]*(")/m, `$1${uri}$2`);
}

/**
 * The playlist with `#EXT-X-TARGETDURATION` raised to at least `targetSec`. RFC 8216 (4.3.3.1, 6.2.1) wants
 * the value unchanged between reloads, but ffmpeg computes it from the segments listed so far: with a 1 s
 * first segment (segment-grid.ts) its EVENT playlist says 1 until the first 2 s segment is listed. Pinned
 * to the grid's longest segment, every reload says the same; a value above it (a segment longer than the
 * grid, which forced keyframes never make) is kept, so no segment ever exceeds the target.
 */
export function pinTargetDuration(text: string, targetSec: number): string {
  if (!Number.isInteger(targetSec) || targetSec < 1) throw new Error(`bad target duration: ${targetSec}`);
  const tag = /^#EXT-X-TARGETDURATION:(\d+)[ \t]*$/m;
  const m = tag.exec(text);
  if (!m) throw new Error('the playlist has no EXT-X-TARGETDURATION');
  return text.replace(tag, `#EXT-X-TARGETDURATION:${Math.max(Number(m[1]), targetSec)}`);
}

/** True when the playlist says no more segments will be added. */
export function hasEndList(text: string): boolean {
  return /^#EXT-X-ENDLIST\s*$/m.test(text);
}

/**
 * The EVENT playlist ffmpeg wrote while encoding, made a normal VOD playlist (authoring spec 8.6):
 * `#EXT-X-PLAYLIST-TYPE:VOD` (added after the header when absent), exactly one `#EXT-X-ENDLIST` at the end,
 * and the init segment under its fixed name. Segments and their order are untouched.
 */
export function toVodPlaylist(text: string, initUri: string): string {
  if (!text.startsWith('#EXTM3U')) throw new Error('not an m3u8 playlist');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && l.trim() !== '#EXT-X-ENDLIST');
  const typeAt = lines.findIndex((l) => l.startsWith('#EXT-X-PLAYLIST-TYPE:'));
  if (typeAt >= 0) lines[typeAt] = '#EXT-X-PLAYLIST-TYPE:VOD';
  else {
    const firstSegmentTag = lines.findIndex((l) => l.startsWith('#EXT-X-MAP:') || l.startsWith('#EXTINF:'));
    lines.splice(firstSegmentTag >= 0 ? firstSegmentTag : lines.length, 0, '#EXT-X-PLAYLIST-TYPE:VOD');
  }
  lines.push('#EXT-X-ENDLIST');
  return replaceMapUri(`${lines.join('\n')}\n`, initUri);
}
