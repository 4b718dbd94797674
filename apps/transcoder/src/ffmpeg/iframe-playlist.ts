import type { Fragment } from './fmp4.js';
import type { Bandwidth } from './master-playlist.js';

/** Name of a video rung's I-frame playlist, next to its index.m3u8. */
export const IFRAME_PLAYLIST_NAME = 'iframes.m3u8';

export interface SegmentFragments {
  uri: string;
  fragments: Fragment[];
}

export interface IFrameEntry {
  uri: string;
  /** Byte range in the segment: from its moof to the end of the sync sample's data. */
  offset: number;
  length: number;
  /** Seconds until the next I-frame (the last: until the end of its fragment). */
  durationSec: number;
}

/**
 * Every sync sample of a rung as an I-frame entry. The range starts at the sample's moof (a player needs
 * the moof to find and time the sample) and ends with the sample's data, so it never copies a byte: the
 * I-frame playlist points into the rung's own segments (Apple HLS authoring spec 6.1-6.3).
 */
export function iframeEntries(segments: readonly SegmentFragments[], timescale: number): IFrameEntry[] {
  const found: Array<{ uri: string; offset: number; length: number; pts: number }> = [];
  let end = 0;
  for (const seg of segments) {
    for (const frag of seg.fragments) {
      for (const s of frag.samples) {
        end = Math.max(end, s.pts + s.duration);
        if (s.sync) found.push({ uri: seg.uri, offset: frag.moofStart, length: s.offset + s.size - frag.moofStart, pts: s.pts });
      }
    }
  }
  return found.map((f, i) => ({
    uri: f.uri,
    offset: f.offset,
    length: f.length,
    durationSec: ((found[i + 1]?.pts ?? end) - f.pts) / timescale,
  }));
}

/** `EXT-X-I-FRAMES-ONLY` VOD playlist with byte ranges into the rung's segments. */
export function buildIFramePlaylist(entries: readonly IFrameEntry[], initUri: string): string {
  if (entries.length === 0) throw new Error('an I-frame playlist needs at least one I-frame');
  const target = Math.max(1, Math.ceil(Math.max(...entries.map((e) => e.durationSec)) - 1e-6));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-I-FRAMES-ONLY',
    `#EXT-X-MAP:URI="${initUri}"`,
  ];
  for (const e of entries) lines.push(`#EXTINF:${e.durationSec.toFixed(6)},`, `#EXT-X-BYTERANGE:${e.length}@${e.offset}`, e.uri);
  lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/** BANDWIDTH (the fastest I-frame over its duration) and AVERAGE-BANDWIDTH of an I-frame playlist, in bits/s. */
export function iframeBandwidth(entries: readonly IFrameEntry[]): Bandwidth {
  const usable = entries.filter((e) => e.durationSec > 0);
  if (usable.length === 0) throw new Error('cannot measure I-frames without a duration');
  const peak = Math.max(...usable.map((e) => (e.length * 8) / e.durationSec));
  const bits = usable.reduce((t, e) => t + e.length * 8, 0);
  const duration = usable.reduce((t, e) => t + e.durationSec, 0);
  return { peak: Math.ceil(peak), average: Math.ceil(bits / duration) };
}
