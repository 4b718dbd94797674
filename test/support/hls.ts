import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FFPROBE_PATH } from './media.js';

// An HLS reader written for the tests, independent of the transcoder's own playlist code: outputs are
// checked against what the spec says, not against the code that wrote them.

export interface Variant {
  attrs: Record<string, string>;
  uri: string;
}

/** Parses `#EXT-X-STREAM-INF` entries of a master playlist (attribute values may be quoted). */
export function parseMaster(text: string): Variant[] {
  const lines = text.split(/\r?\n/);
  const out: Variant[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('#EXT-X-STREAM-INF:')) continue;
    const attrs: Record<string, string> = {};
    for (const m of lines[i].slice('#EXT-X-STREAM-INF:'.length).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
      attrs[m[1]] = m[2].replace(/^"|"$/g, '');
    }
    out.push({ attrs, uri: lines[i + 1] });
  }
  return out;
}

export interface MediaPlaylist {
  map: string | null;
  segments: Array<{ duration: number; uri: string }>;
  ended: boolean;
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/);
  const segments: MediaPlaylist['segments'] = [];
  let map: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = l.match(/^#EXT-X-MAP:URI="([^"]+)"/);
    if (m) map = m[1];
    if (l.startsWith('#EXTINF:')) segments.push({ duration: parseFloat(l.slice(8)), uri: lines[i + 1] });
  }
  return { map, segments, ended: lines.includes('#EXT-X-ENDLIST') };
}

/**
 * For each segment (prepended with the init segment), the first video packet's pts and whether it is a
 * keyframe, read by ffprobe. Aligned renditions give the same list of start times, all keyframes.
 */
export function segmentStarts(init: Buffer, segments: Buffer[]): Array<{ pts: number; key: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-seg-'));
  try {
    return segments.map((seg, i) => {
      const file = join(dir, `s${i}.mp4`);
      writeFileSync(file, Buffer.concat([init, seg]));
      const out = execFileSync(
        FFPROBE_PATH,
        [
          '-v',
          'error',
          '-select_streams',
          'v:0',
          '-show_entries',
          'packet=pts_time,flags',
          '-read_intervals',
          '%+#1',
          '-of',
          'csv=p=0',
          file,
        ],
        { encoding: 'utf8' },
      );
      const [pts, flags] = out.trim().split('\n')[0].split(',');
      return { pts: Number(pts), key: flags.startsWith('K') };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** segmentStarts for a rung written to disk: its index.m3u8, init segment and media segments. */
export function rungSegmentStarts(rungDir: string): Array<{ pts: number; key: boolean }> {
  const playlist = parseMediaPlaylist(readFileSync(join(rungDir, 'index.m3u8'), 'utf8'));
  if (!playlist.map) throw new Error(`${rungDir}/index.m3u8 has no EXT-X-MAP`);
  return segmentStarts(
    readFileSync(join(rungDir, playlist.map)),
    playlist.segments.map((s) => readFileSync(join(rungDir, s.uri))),
  );
}
