import type { AudioStreamInfo, MediaInfo, SubtitleStreamInfo, VideoStreamInfo } from './media-info.js';
import { MediaRejectedError } from './media-rejected.error.js';

/** The parts of `ffprobe -show_format -show_streams -print_format json` that we read. */
interface RawStream {
  index?: number;
  codec_name?: string;
  codec_type?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_aspect_ratio?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  bit_rate?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: { attached_pic?: number; default?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}
interface RawFormat {
  format_name?: string;
  duration?: string;
  size?: string;
  bit_rate?: string;
}

const UNREADABLE = 'This file is not a video we can read (the file type could not be recognised).';

/** ffprobe JSON (already parsed or as text) -> MediaInfo. Throws MediaRejectedError on anything unusable. */
export function parseProbeOutput(raw: unknown): MediaInfo {
  let json: unknown = raw;
  if (typeof raw === 'string') {
    try {
      json = JSON.parse(raw);
    } catch {
      throw new MediaRejectedError(UNREADABLE);
    }
  }
  if (!isObject(json) || !isObject(json.format) || !Array.isArray(json.streams)) {
    throw new MediaRejectedError(UNREADABLE);
  }
  const format = json.format as RawFormat;
  const streams = (json.streams as unknown[]).filter(isObject) as RawStream[];
  if (typeof format.format_name !== 'string' || format.format_name === '') throw new MediaRejectedError(UNREADABLE);

  // A cover picture in an mp3/m4a/mkv is reported as a one-frame video stream with attached_pic=1; it is
  // artwork, not the video we would transcode.
  const videoRaw = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audioTracks = streams.filter((s) => s.codec_type === 'audio').map(toAudio);

  const video = videoRaw ? toVideo(videoRaw) : undefined;
  const info: MediaInfo = {
    durationSec: durationOf(format, streams, videoRaw),
    formatName: format.format_name,
    streamCount: streams.length,
  };
  if (video) info.video = video;
  if (audioTracks.length > 0) {
    info.audio = audioTracks.find((a) => a.isDefault) ?? audioTracks[0];
    info.audioTracks = audioTracks;
  }
  const subtitles = streams.filter((s) => s.codec_type === 'subtitle').map(toSubtitle);
  if (subtitles.length > 0) info.subtitles = subtitles;
  const size = positiveInt(format.size);
  if (size !== undefined) info.sizeBytes = size;
  const bitrate = positiveInt(format.bit_rate);
  if (bitrate !== undefined) info.bitrate = bitrate;
  return info;
}

/** "30000/1001" -> 29.97..., "0/0", "N/A" or garbage -> undefined. */
export function parseRational(text: string | undefined): { value: number; text: string } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = Number(m[2]);
  if (num <= 0 || den <= 0) return undefined;
  return { value: num / den, text: `${num}/${den}` };
}

/** "4:3" -> 1.333; square ("1:1"), unknown ("0:1", "N/A") or garbage -> undefined (treat pixels as square). */
export function parseSampleAspect(text: string | undefined): number | undefined {
  const m = /^(\d+):(\d+)$/.exec(text ?? '');
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = Number(m[2]);
  if (num <= 0 || den <= 0 || num === den) return undefined;
  return num / den;
}

/** Clockwise rotation normalised to 0/90/180/270 from the display matrix or the legacy `rotate` tag. */
export function rotationOf(stream: RawStream): number {
  // ffprobe >= 5 reports the display matrix as side data with a `rotation` field; older muxers (and
  // ffmpeg < 5 itself) wrote a `rotate` tag instead. The sign differs between versions, but for swapping
  // width and height only the quarter-turn matters.
  const fromMatrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const fromTag = stream.tags?.rotate !== undefined ? Number(stream.tags.rotate) : undefined;
  const degrees = fromMatrix ?? fromTag;
  if (degrees === undefined || !Number.isFinite(degrees)) return 0;
  const quarter = Math.round(degrees / 90) * 90;
  return ((quarter % 360) + 360) % 360;
}

function toVideo(s: RawStream): VideoStreamInfo {
  // avg_frame_rate is what the file really plays at (r_frame_rate is the timebase-level guess and can be
  // 90000/1 or 120/1 for variable-rate phone recordings); fall back to r_frame_rate when avg is 0/0.
  const rate = parseRational(s.avg_frame_rate) ?? parseRational(s.r_frame_rate);
  const rotation = rotationOf(s);
  const w = s.width ?? 0;
  const h = s.height ?? 0;
  const swap = rotation === 90 || rotation === 270;
  const video: VideoStreamInfo = {
    index: s.index ?? 0,
    codec: s.codec_name ?? 'unknown',
    width: swap ? h : w,
    height: swap ? w : h,
    fps: rate?.value ?? 0,
    frameRate: rate?.text ?? '0/1',
    pixFmt: s.pix_fmt ?? 'unknown',
    rotation,
  };
  const sar = parseSampleAspect(s.sample_aspect_ratio);
  if (sar !== undefined && w > 0 && h > 0) {
    const aspect = (w * sar) / h;
    video.displayAspect = swap ? 1 / aspect : aspect;
  }
  const bitrate = positiveInt(s.bit_rate);
  if (bitrate !== undefined) video.bitrate = bitrate;
  return video;
}

function toAudio(s: RawStream): AudioStreamInfo {
  const audio: AudioStreamInfo = {
    index: s.index ?? 0,
    codec: s.codec_name ?? 'unknown',
    channels: s.channels ?? 0,
    sampleRate: positiveInt(s.sample_rate) ?? 0,
  };
  const bitrate = positiveInt(s.bit_rate);
  if (bitrate !== undefined) audio.bitrate = bitrate;
  const language = s.tags?.language ?? s.tags?.LANGUAGE;
  const title = s.tags?.title ?? s.tags?.TITLE;
  if (language) audio.language = language;
  if (title) audio.title = title;
  if (s.disposition?.default === 1) audio.isDefault = true;
  return audio;
}

function toSubtitle(s: RawStream): SubtitleStreamInfo {
  const sub: SubtitleStreamInfo = { index: s.index ?? 0, codec: s.codec_name ?? 'unknown' };
  const language = s.tags?.language ?? s.tags?.LANGUAGE;
  const title = s.tags?.title ?? s.tags?.TITLE;
  if (language) sub.language = language;
  if (title) sub.title = title;
  return sub;
}

function durationOf(format: RawFormat, streams: RawStream[], video: RawStream | undefined): number {
  const fromFormat = positiveNumber(format.duration);
  if (fromFormat !== undefined) return fromFormat;
  // Some muxers (raw streams, broken mp4s) leave the container duration empty: take the video stream's,
  // then the longest stream's, then Matroska's per-stream DURATION tag ("00:01:02.500000000").
  const fromVideo = positiveNumber(video?.duration);
  if (fromVideo !== undefined) return fromVideo;
  const all = streams
    .map((s) => positiveNumber(s.duration) ?? parseClock(s.tags?.DURATION ?? s.tags?.duration))
    .filter((d): d is number => d !== undefined);
  return all.length > 0 ? Math.max(...all) : 0;
}

function parseClock(text: string | undefined): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text ?? '');
  if (!m) return undefined;
  const total = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return total > 0 ? total : undefined;
}

function positiveNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function positiveInt(text: string | undefined): number | undefined {
  const n = positiveNumber(text);
  return n === undefined ? undefined : Math.round(n);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
