/*
 * Subtitle files people upload (SRT or WebVTT) and the WebVTT ffmpeg extracts from uploads, turned into
 * one canonical WebVTT that we write ourselves. Pure: no I/O. Why rewrite rather than store what came in:
 * a file is hostile until proven otherwise, and a player renders what it is given. Our output holds only
 * cues (timings + text with <b>, <i>, <u>), never STYLE or REGION blocks, NOTEs, cue settings or any
 * other markup, so a `<script>` in a cue is shown as the characters `<script>`, and nothing in a cue can
 * restyle or cover the player. The counts are bounded so a file cannot make the server or a browser hold
 * millions of cues.
 */

/** Bytes of an uploaded subtitle file (a feature film's SRT is 50-150 KB). */
export const SUBTITLE_MAX_BYTES = 2 * 1024 * 1024;
/** Cues in one track: a 3-hour film has about 2 000. */
export const SUBTITLE_MAX_CUES = 20_000;
/** Characters in one cue's text (after decoding entities and dropping markup). */
export const SUBTITLE_MAX_CUE_CHARS = 1_000;
/** A cue may not end later than this (seconds): no media we accept is longer. */
export const SUBTITLE_MAX_TIME_SEC = 48 * 3600;

export interface SubtitleCue {
  /** Seconds from the start of the media. */
  start: number;
  end: number;
  /** Cue text with line breaks; only <b>, <i>, <u> markup, everything else escaped (see cueText). */
  text: string;
}

export interface ParsedSubtitles {
  format: 'srt' | 'vtt';
  /** The encoding the bytes were read as: utf-8 (with or without BOM), utf-16le/be, or windows-1252. */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  cues: SubtitleCue[];
}

/** A file we refuse; `message` is a sentence for the person who uploaded it. */
export class SubtitleFormatError extends Error {
  override readonly name = 'SubtitleFormatError';
}

/**
 * Bytes -> text. UTF-8 (the BOM is dropped) and UTF-16 with a BOM are read as such. Anything else that is
 * not valid UTF-8 is read as Windows-1252, the legacy encoding of most SRT files from Western Europe and
 * the Americas (a superset of Latin-1 for printable text): better a few wrong accents than a refusal.
 * A NUL byte in what should be text means a binary file (or UTF-16 without a BOM): refused.
 */
export function decodeSubtitleBytes(bytes: Uint8Array): { text: string; encoding: ParsedSubtitles['encoding'] } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: decode('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: decode('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (body.includes(0)) {
    throw new SubtitleFormatError(
      'This file is not a subtitle file we can read (it holds binary data). Upload an SRT or WebVTT text file.',
    );
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  }
}

// Windows-1252's 0x80-0x9F (the rest is Latin-1). Node's TextDecoder('windows-1252') reads these bytes as
// the C1 controls of Latin-1 (so "€" would vanish), hence our own table; the five holes stay as they are.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

function decode(encoding: 'utf-16le' | 'utf-16be', bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new SubtitleFormatError(`This file says it is ${encoding.toUpperCase()} text but is not. Save it as UTF-8 and upload it again.`);
  }
}

/** Reads an SRT or WebVTT file (bytes as uploaded) into cues; throws SubtitleFormatError with a sentence. */
export function parseSubtitleFile(bytes: Uint8Array): ParsedSubtitles {
  if (bytes.length > SUBTITLE_MAX_BYTES) {
    throw new SubtitleFormatError(
      `This subtitle file is larger than ${SUBTITLE_MAX_BYTES / 1024 / 1024} MB; no subtitle file needs to be.`,
    );
  }
  const { text, encoding } = decodeSubtitleBytes(bytes);
  const normalised = text.replace(/\r\n?/g, '\n');
  const format = /^WEBVTT(?:[ \t].*)?(?:\n|$)/.test(normalised) ? 'vtt' : 'srt';
  const cues = format === 'vtt' ? parseBlocks(normalised, 'vtt') : parseBlocks(normalised, 'srt');
  if (cues.length === 0) {
    throw new SubtitleFormatError(
      'This file has no subtitles in it that we could read. Upload an SRT or WebVTT file with at least one cue.',
    );
  }
  return { format, encoding, cues };
}

// 00:01:02,345 (SRT) or 00:01:02.345 / 01:02.345 (WebVTT: hours optional). Up to 3 fraction digits.
const TIME = String.raw`(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})`;
const TIMING = new RegExp(`^\\s*${TIME}\\s*-->\\s*${TIME}(?:[ \\t].*)?$`);

function parseBlocks(text: string, format: 'srt' | 'vtt'): SubtitleCue[] {
  const blocks = text.split(/\n[ \t]*\n+/);
  const cues: SubtitleCue[] = [];
  for (const [i, raw] of blocks.entries()) {
    const lines = raw.split('\n');
    while (lines.length > 0 && lines[0].trim() === '') lines.shift();
    if (lines.length === 0) continue;
    if (format === 'vtt') {
      if (i === 0 && lines[0].startsWith('WEBVTT')) continue; // the header and its metadata lines
      if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(lines[0])) continue; // not cues: never copied
    }
    // An identifier line (SRT's counter, WebVTT's optional cue id) may come before the timing line.
    const timingAt = TIMING.test(lines[0]) ? 0 : lines.length > 1 && TIMING.test(lines[1]) ? 1 : -1;
    if (timingAt < 0) {
      throw new SubtitleFormatError(
        `This is not a subtitle file we can read: block ${cues.length + 1} has no timing line like "00:00:01,000 --> 00:00:02,500". Upload an SRT or WebVTT file.`,
      );
    }
    const m = TIMING.exec(lines[timingAt])!;
    const start = seconds(m.slice(1, 5));
    const end = seconds(m.slice(5, 9));
    const n = cues.length + 1;
    if (end < start)
      throw new SubtitleFormatError(`Subtitle ${n} ends before it starts (${lines[timingAt].trim()}). Fix its timing and upload again.`);
    if (end > SUBTITLE_MAX_TIME_SEC)
      throw new SubtitleFormatError(`Subtitle ${n} is timed after ${SUBTITLE_MAX_TIME_SEC / 3600} hours, longer than any video here.`);
    if (cues.length >= SUBTITLE_MAX_CUES) {
      throw new SubtitleFormatError(
        `This file has more than ${SUBTITLE_MAX_CUES.toLocaleString('en')} subtitles, more than any real film; we refuse it.`,
      );
    }
    const body = cueText(lines.slice(timingAt + 1).join('\n'));
    if (body.length > SUBTITLE_MAX_CUE_CHARS) {
      throw new SubtitleFormatError(`Subtitle ${n} is longer than ${SUBTITLE_MAX_CUE_CHARS} characters; split it or shorten it.`);
    }
    // An empty cue shows nothing; WebVTT would read a blank line as its end anyway.
    if (body.trim() !== '') cues.push({ start, end, text: body });
  }
  return cues;
}

function seconds([h, m, s, frac]: Array<string | undefined>): number {
  const ms = Number((frac ?? '0').padEnd(3, '0'));
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + ms / 1000;
}

/**
 * A cue's text as we publish it: entities decoded, then escaped again; <b>, <i>, <u> (no attributes)
 * kept and balanced; SRT's <font ...> and ASS overrides ({\an8}) dropped, since they style rather than
 * say; any other tag (`<script>`, `<img ...>`, WebVTT's <c>, <v>) shown as the characters typed (the
 * WebVTT parser would otherwise treat them as markup). Control characters other than line breaks are
 * removed. No blank line survives inside a cue: it would end the cue in WebVTT.
 */
export function cueText(raw: string): string {
  const withoutStyling = raw
    .trim()
    .replace(/<\/?font\b[^>]*>/gi, '')
    .replace(/\{\\[^}]*\}/g, '')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
  const text = decodeEntities(withoutStyling);
  const out: string[] = [];
  const open: string[] = [];
  const re = /<(\/?)([biu])>/gi;
  let last = 0;
  for (const m of text.matchAll(re)) {
    out.push(escapeText(text.slice(last, m.index)));
    last = m.index + m[0].length;
    const tag = m[2].toLowerCase();
    if (m[1] === '') {
      open.push(tag);
      out.push(`<${tag}>`);
    } else if (open.includes(tag)) {
      // Close what is open down to this tag, so the markup stays balanced.
      while (open.length > 0) {
        const t = open.pop()!;
        out.push(`</${t}>`);
        if (t === tag) break;
      }
    }
  }
  out.push(escapeText(text.slice(last)));
  while (open.length > 0) out.push(`</${open.pop()!}>`);
  return out
    .join('')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .join('\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', lrm: '', rlm: '' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0x1f && code <= 0x10ffff && !(code >= 0x7f && code <= 0x9f) ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function timestamp(sec: number): string {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * Our WebVTT. `X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000` says cue time 0 is media time 0: the HLS
 * segments start at presentation time 0 (the transcoder aligns the starts), and hls.js places WebVTT cues
 * by this map (RFC 8216 3.5), so the cues line up with the video without any offset guessing.
 */
export function toWebVtt(cues: readonly SubtitleCue[]): string {
  const blocks = cues.map((c) => `${timestamp(c.start)} --> ${timestamp(c.end)}\n${c.text}`);
  return `WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n${blocks.join('\n\n')}\n`;
}

/** End of the last cue, in seconds (0 without cues): how long a subtitle playlist must be at least. */
export function lastCueEnd(cues: readonly SubtitleCue[]): number {
  return cues.reduce((max, c) => Math.max(max, c.end), 0);
}
