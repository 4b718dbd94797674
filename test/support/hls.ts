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
  /** EXT-X-TARGETDURATION; null when absent. */
  targetDuration: number | null;
  segments: Array<{ duration: number; uri: string }>;
  ended: boolean;
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/);
  const segments: MediaPlaylist['segments'] = [];
  let map: string | null = null;
  let targetDuration: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = l.match(/^#EXT-X-MAP:URI="([^"]+)"/);
    if (m) map = m[1];
    if (l.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(l.slice('#EXT-X-TARGETDURATION:'.length));
    if (l.startsWith('#EXTINF:')) segments.push({ duration: parseFloat(l.slice(8)), uri: lines[i + 1] });
  }
  return { map, targetDuration, segments, ended: lines.includes('#EXT-X-ENDLIST') };
}

/**
 * For each segment (prepended with the init segment), the first video sample's presentation time and
 * whether it is a keyframe (read by ffprobe). Aligned renditions give the same list of start times, all keyframes.
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
      const [, flags] = out.trim().split('\n')[0].split(',');
      // The time as an MSE player presents the segment's first sample (tfdt + composition offset): ffprobe's
      // own pts shifts each file by its smallest negative composition offset, which differs between rungs.
      return { pts: firstSampleTime(init, seg), key: flags.startsWith('K') };
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

/** `#EXT-X-MEDIA` renditions of a master playlist, attributes unquoted. */
export function parseMasterMedia(text: string): Array<Record<string, string>> {
  return text
    .split(/\r?\n/)
    .filter((l) => l.startsWith('#EXT-X-MEDIA:'))
    .map((l) => attributes(l.slice('#EXT-X-MEDIA:'.length)));
}

/** `#EXT-X-I-FRAME-STREAM-INF` entries of a master playlist (the URI is an attribute). */
export function parseIFrameStreams(text: string): Array<Record<string, string>> {
  return text
    .split(/\r?\n/)
    .filter((l) => l.startsWith('#EXT-X-I-FRAME-STREAM-INF:'))
    .map((l) => attributes(l.slice('#EXT-X-I-FRAME-STREAM-INF:'.length)));
}

function attributes(list: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) attrs[m[1]] = m[2].replace(/^"|"$/g, '');
  return attrs;
}

export interface IFramePlaylist {
  iFramesOnly: boolean;
  map: string | null;
  entries: Array<{ duration: number; length: number; offset: number; uri: string }>;
  ended: boolean;
}

/** An I-frame playlist: `#EXTINF` + `#EXT-X-BYTERANGE:<length>@<offset>` + URI per I-frame. */
export function parseIFramePlaylist(text: string): IFramePlaylist {
  const lines = text.split(/\r?\n/);
  const entries: IFramePlaylist['entries'] = [];
  let duration: number | undefined;
  let range: { length: number; offset: number } | undefined;
  for (const l of lines) {
    if (l.startsWith('#EXTINF:')) duration = parseFloat(l.slice(8));
    else if (l.startsWith('#EXT-X-BYTERANGE:')) {
      const [length, offset] = l.slice('#EXT-X-BYTERANGE:'.length).split('@').map(Number);
      range = { length, offset };
    } else if (l !== '' && !l.startsWith('#')) {
      if (duration === undefined || !range) throw new Error(`I-frame entry without EXTINF or BYTERANGE: ${l}`);
      entries.push({ duration, ...range, uri: l });
      duration = undefined;
      range = undefined;
    }
  }
  return {
    iFramesOnly: lines.includes('#EXT-X-I-FRAMES-ONLY'),
    map: /^#EXT-X-MAP:URI="([^"]+)"/m.exec(text)?.[1] ?? null,
    entries,
    ended: lines.includes('#EXT-X-ENDLIST'),
  };
}

/**
 * The first packet ffprobe reads from `init` + `bytes` (an I-frame byte range, which ends inside its mdat):
 * its flags say whether it is a keyframe. ffprobe, not our box code, decides.
 */
export function firstPacketOf(init: Buffer, bytes: Buffer): { key: boolean; size: number } {
  const dir = mkdtempSync(join(tmpdir(), 'rr-ifr-'));
  try {
    const file = join(dir, 'f.mp4');
    writeFileSync(file, Buffer.concat([init, bytes]));
    const out = execFileSync(
      FFPROBE_PATH,
      ['-v', 'quiet', '-show_entries', 'packet=flags,size', '-read_intervals', '%+#1', '-of', 'json', file],
      {
        encoding: 'utf8',
      },
    );
    const packet = (JSON.parse(out) as { packets: Array<{ flags: string; size: string }> }).packets[0];
    return { key: packet.flags.startsWith('K'), size: Number(packet.size) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * When the first sample of a segment is presented, as an MSE player sees it (tfdt + the first sample's
 * composition offset, in seconds; edit lists are ignored, as MSE does). A box walk written for the tests
 * (version 0 and 1 trun, default-base-is-moof), independent of the transcoder's reader.
 */
export function firstSampleTime(init: Buffer, segment: Buffer): number {
  const box = (buf: Buffer, type: string, start = 0, end = buf.length): { body: number; end: number } | undefined => {
    for (let at = start; at + 8 <= end;) {
      const size = buf.readUInt32BE(at);
      if (buf.toString('latin1', at + 4, at + 8) === type) return { body: at + 8, end: at + size };
      if (size < 8) return undefined;
      at += size;
    }
    return undefined;
  };
  const within = (buf: Buffer, types: string[]) => {
    let at: { body: number; end: number } | undefined = { body: 0, end: buf.length };
    for (const t of types) at = at && box(buf, t, at.body, at.end);
    return at;
  };
  const mdhd = within(init, ['moov', 'trak', 'mdia', 'mdhd'])!;
  const timescale = init[mdhd.body] === 1 ? init.readUInt32BE(mdhd.body + 20) : init.readUInt32BE(mdhd.body + 12);
  const tfdt = within(segment, ['moof', 'traf', 'tfdt'])!;
  const base = segment[tfdt.body] === 1 ? Number(segment.readBigUInt64BE(tfdt.body + 4)) : segment.readUInt32BE(tfdt.body + 4);
  const trun = within(segment, ['moof', 'traf', 'trun'])!;
  const version = segment[trun.body];
  const flags = segment.readUInt32BE(trun.body) & 0xffffff;
  let p = trun.body + 8 + (flags & 0x1 ? 4 : 0) + (flags & 0x4 ? 4 : 0);
  p += (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0) + (flags & 0x400 ? 4 : 0);
  const cto = flags & 0x800 ? (version === 1 ? segment.readInt32BE(p) : segment.readUInt32BE(p)) : 0;
  return (base + cto) / timescale;
}

export interface LlPart {
  /** Media sequence number of the segment the part belongs to. */
  msn: number;
  /** Index of the part within that segment. */
  index: number;
  uri: string;
  duration: number;
  independent: boolean;
}

export interface LlMediaPlaylist {
  version: number | null;
  targetDuration: number | null;
  /** EXT-X-SERVER-CONTROL attributes. */
  serverControl: Record<string, string>;
  partTarget: number | null;
  mediaSequence: number;
  /** Complete segments with their media sequence numbers. */
  segments: Array<{ msn: number; uri: string; duration: number }>;
  parts: LlPart[];
  preloadHint: Record<string, string> | null;
  ended: boolean;
}

/** An LL-HLS media playlist (RFC 8216bis): segments numbered from EXT-X-MEDIA-SEQUENCE, parts attributed to the segment they precede. */
export function parseLlPlaylist(text: string): LlMediaPlaylist {
  const lines = text.split(/\r?\n/);
  const tag = (name: string) => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1);
  const mediaSequence = Number(tag('#EXT-X-MEDIA-SEQUENCE') ?? 0);
  const out: LlMediaPlaylist = {
    version: tag('#EXT-X-VERSION') ? Number(tag('#EXT-X-VERSION')) : null,
    targetDuration: tag('#EXT-X-TARGETDURATION') ? Number(tag('#EXT-X-TARGETDURATION')) : null,
    serverControl: attributes(tag('#EXT-X-SERVER-CONTROL') ?? ''),
    partTarget: tag('#EXT-X-PART-INF') ? Number(attributes(tag('#EXT-X-PART-INF') ?? '')['PART-TARGET']) : null,
    mediaSequence,
    segments: [],
    parts: [],
    preloadHint: tag('#EXT-X-PRELOAD-HINT') ? attributes(tag('#EXT-X-PRELOAD-HINT') ?? '') : null,
    ended: lines.includes('#EXT-X-ENDLIST'),
  };
  let msn = mediaSequence;
  let index = 0;
  let duration = 0;
  for (const l of lines) {
    if (l.startsWith('#EXT-X-PART:')) {
      const a = attributes(l.slice('#EXT-X-PART:'.length));
      out.parts.push({ msn, index: index++, uri: a.URI, duration: Number(a.DURATION), independent: a.INDEPENDENT === 'YES' });
    } else if (l.startsWith('#EXTINF:')) duration = parseFloat(l.slice(8));
    else if (l !== '' && !l.startsWith('#')) {
      out.segments.push({ msn, uri: l, duration });
      msn += 1;
      index = 0;
    }
  }
  return out;
}
