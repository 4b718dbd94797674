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
