import { SUBTITLE_GROUP_ID, SUBTITLES_FOLDER } from '@reelroom/contracts';

/** What the master playlist says about one subtitle track. */
export interface SubtitleRendition {
  id: string;
  label: string;
  language: string;
}

/** `subtitles/<id>.m3u8`, relative to the master (so a casting URL's token stays in the path). */
export const subtitlePlaylistUri = (id: string) => `${SUBTITLES_FOLDER}/${id}.m3u8`;
export const subtitleVttName = (id: string) => `${id}.vtt`;

/**
 * The master playlist as served: the transcoder's master plus one `EXT-X-MEDIA:TYPE=SUBTITLES` per track
 * in group "subs", and `SUBTITLES="subs"` on every variant (RFC 8216 4.3.4.1.1: a variant names the group
 * its players may use; hls.js and Safari list the group's renditions as subtitle tracks). Added when the
 * master is served rather than written into the stored file: subtitles come and go while the transcoder
 * may still be rewriting that file (early master, then the measured one), and whoever wrote last would
 * win. Without tracks the master is returned unchanged. DEFAULT=NO: nobody gets subtitles they did not
 * choose; the room's suggestion is applied by the web player. Pure.
 */
export function withSubtitleRenditions(master: string, tracks: readonly SubtitleRendition[]): string {
  if (tracks.length === 0) return master;
  const lines = master.split('\n').filter((l) => !l.startsWith('#EXT-X-MEDIA:TYPE=SUBTITLES'));
  const media = tracks.map(
    (t) =>
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${SUBTITLE_GROUP_ID}",NAME="${quoted(t.label)}",LANGUAGE="${quoted(t.language)}",` +
      `DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="${subtitlePlaylistUri(t.id)}"`,
  );
  const out: string[] = [];
  let inserted = false;
  for (const line of lines) {
    if (!inserted && line.startsWith('#EXT-X-STREAM-INF:')) {
      out.push(...media);
      inserted = true;
    }
    if (line.startsWith('#EXT-X-STREAM-INF:')) {
      const attrs = line.replace(/,SUBTITLES="[^"]*"/, '');
      out.push(`${attrs},SUBTITLES="${SUBTITLE_GROUP_ID}"`);
    } else out.push(line);
  }
  return out.join('\n');
}

/**
 * A subtitle track's media playlist: one WebVTT segment spanning the whole media (an uploaded file is
 * small; cutting it into segments buys nothing). VOD, so hls.js loads it once. `durationSec` is the
 * media's length, or the last cue's end when that is later (or the media's length is not known yet).
 */
export function subtitleMediaPlaylist(id: string, durationSec: number): string {
  const duration = Math.max(1, durationSec);
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.ceil(duration)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${duration.toFixed(3)},`,
    subtitleVttName(id),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}

/** An attribute's quoted-string may hold neither a double quote nor a line break (RFC 8216 4.2). */
function quoted(s: string): string {
  return s.replace(/"/g, "'").replace(/[\r\n]/g, ' ');
}
