/**
 * Our own description of a source file, built from ffprobe output by `parseProbeOutput`.
 * Nothing outside `probe-parser.ts` looks at raw ffprobe JSON.
 */
export interface VideoStreamInfo {
  /** Absolute stream index in the file, used to map exactly this stream (not a cover picture). */
  index: number;
  codec: string;
  /** Display size, after applying rotation (a 1920x1080 stream rotated 90 degrees is 1080x1920). */
  width: number;
  height: number;
  /** Frames per second as a number (29.97...). 0 when ffprobe reported no usable rate. */
  fps: number;
  /** The same rate as an exact ffmpeg rational ("30000/1001"), safe to put in a filter graph. */
  frameRate: string;
  bitrate?: number;
  pixFmt: string;
  /** Clockwise display rotation in degrees: 0, 90, 180 or 270. */
  rotation: number;
  /**
   * Display width / height after the sample aspect ratio and rotation (1440x1080 stored with SAR 4:3 shows
   * as 16:9). Absent when the pixels are square, so width / height is the display shape.
   */
  displayAspect?: number;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  channels: number;
  sampleRate: number;
  bitrate?: number;
  /** The container's language tag as written (ISO 639-2 in Matroska and MP4: "eng", "fra"). */
  language?: string;
  /** The track's title tag ("Director's commentary"). */
  title?: string;
  /** The source marks this track as the one to play by default (disposition.default). */
  isDefault?: boolean;
}

/** A subtitle stream of the source (issue 12: text ones are extracted as WebVTT, bitmap ones skipped). */
export interface SubtitleStreamInfo {
  index: number;
  /** ffprobe's codec name: subrip, ass, ssa, mov_text, webvtt, text; hdmv_pgs_subtitle, dvd_subtitle... */
  codec: string;
  /** The container's language tag as written (Matroska and MP4 use ISO 639-2: "eng", "fre"). */
  language?: string;
  /** The track's title tag ("English SDH"). */
  title?: string;
}

export interface MediaInfo {
  /** 0 when neither the container nor any stream says how long the file is. */
  durationSec: number;
  /** ffprobe's demuxer name list, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
  video?: VideoStreamInfo;
  /** The main audio: the stream the source marks as default, else the first one. */
  audio?: AudioStreamInfo;
  /** Every audio stream, in file order (issue 12: each becomes its own rendition, up to a limit); absent when none. */
  audioTracks?: AudioStreamInfo[];
  /** Subtitle streams, in file order; absent when there are none. */
  subtitles?: SubtitleStreamInfo[];
  /** Every stream in the file, including cover pictures, data and subtitle streams. */
  streamCount: number;
  sizeBytes?: number;
  /** Overall container bit rate (all streams), when known. */
  bitrate?: number;
}
