import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { SUBTITLE_MAX_TRACKS } from '@reelroom/contracts';
import { hardenedInput } from './hardened-input.js';
import { demuxerFor } from './hls-command.js';
import type { MediaInfo, SubtitleStreamInfo } from './media-info.js';
import { trackLanguage } from './track-language.js';

/**
 * Text subtitle codecs ffmpeg's webvtt encoder can take (it converts through ASS internally): SubRip,
 * ASS/SSA, MP4's mov_text (tx3g), WebVTT itself and plain text. Bitmap subtitles (Blu-ray PGS, DVD
 * VobSub, DVB, XSUB) are pictures: turning them into text needs OCR, which we do not do.
 */
const TEXT_CODECS = new Set(['subrip', 'srt', 'ass', 'ssa', 'mov_text', 'webvtt', 'text']);
const BITMAP_CODECS = new Set(['hdmv_pgs_subtitle', 'dvd_subtitle', 'dvb_subtitle', 'xsub', 'dvb_teletext']);

export interface SubtitlePlan {
  extract: SubtitleStreamInfo[];
  /** Streams left out, each with the reason the worker logs. */
  skipped: Array<{ stream: SubtitleStreamInfo; reason: string }>;
}

/** Which subtitle streams become WebVTT tracks: text ones, up to SUBTITLE_MAX_TRACKS. */
export function planSubtitles(info: Pick<MediaInfo, 'subtitles'>): SubtitlePlan {
  const plan: SubtitlePlan = { extract: [], skipped: [] };
  for (const stream of info.subtitles ?? []) {
    if (BITMAP_CODECS.has(stream.codec))
      plan.skipped.push({ stream, reason: `bitmap subtitles (${stream.codec}) cannot become text without OCR` });
    else if (!TEXT_CODECS.has(stream.codec)) plan.skipped.push({ stream, reason: `subtitle codec ${stream.codec} is not one we convert` });
    else if (plan.extract.length >= SUBTITLE_MAX_TRACKS)
      plan.skipped.push({ stream, reason: `more than ${SUBTITLE_MAX_TRACKS} subtitle tracks` });
    else plan.extract.push(stream);
  }
  return plan;
}

export interface SubtitleCommandInput {
  sourcePath: string;
  formatName: string;
  /** One WebVTT file per stream. */
  outputs: Array<{ index: number; outPath: string }>;
}

/**
 * One ffmpeg reading the source once and writing each text subtitle stream as WebVTT (`-c:s webvtt -f
 * webvtt`, one output per stream). No video or audio is decoded (`-vn -an`: only the subtitle packets are
 * demuxed), so this takes seconds even for a film. Same input hardening as the transcode.
 */
export function buildSubtitleCommand(input: SubtitleCommandInput): string[] {
  for (const p of [input.sourcePath, ...input.outputs.map((o) => o.outPath)]) {
    if (!isAbsolute(p)) throw new Error(`expected an absolute path: ${p}`);
  }
  if (input.outputs.length === 0) throw new Error('no subtitle stream to extract');
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  args.push(...hardenedInput({ path: input.sourcePath, demuxer: demuxerFor(input.formatName) }));
  for (const o of input.outputs) args.push('-map', `0:${o.index}`, '-vn', '-an', '-dn', '-c:s', 'webvtt', '-f', 'webvtt', o.outPath);
  return args;
}

/** The track's language as a BCP 47 tag: "eng" -> "en"; missing or unusable -> "und" (undetermined). */
export function subtitleLanguage(stream: SubtitleStreamInfo): string {
  return trackLanguage(stream.language);
}

/** What the player's menu shows: the track's title, else its language, else "Track <n>" (1-based among subtitles). */
export function subtitleLabel(stream: SubtitleStreamInfo, position: number): string {
  const title = (stream.title ?? '')
    // eslint-disable-next-line no-control-regex -- a title is written into playlists: no control characters
    .replace(/[\u0000-\u001f\u007f-\u009f"]/g, ' ')
    .trim()
    .slice(0, 60);
  if (title) return title;
  const language = subtitleLanguage(stream);
  if (language !== 'und') {
    const name = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(language);
    if (name) return name;
  }
  return `Track ${position}`;
}

/**
 * The row id of an embedded track: a UUID derived from the media and the stream, so a retried transcode
 * writes the same file names and replaces the same rows instead of adding copies.
 */
export function embeddedSubtitleId(mediaId: string, streamIndex: number): string {
  const h = createHash('sha256').update(`${mediaId}:subtitle:${streamIndex}`).digest('hex');
  // Shaped as a version 4 / variant 1 UUID, so every uuid validator accepts it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
