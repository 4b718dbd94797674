import { isAbsolute, join } from 'node:path';
import { alignedKeyframes, buildFilterGraph, hlsMuxerArgs, ladderOutputs } from './hls-command.js';
import { chooseLadder, MAX_FPS, type LadderRung } from './ladder.js';
import type { MediaInfo } from './media-info.js';

/** Top of the live ladder (short side): 720/480/360, never above the source. */
export const LIVE_MAX_HEIGHT = 720;
/** When the stream does not say its frame rate (some encoders omit it), plan for this. */
export const LIVE_FALLBACK_FPS = 30;
/**
 * ffmpeg gives up on the input after this long without data (microseconds): a watchdog behind the API's
 * own end signal (it closes our reader when the live ends). Longer than the API's reconnect grace (at
 * most 12 s), so a dropped encoder that comes back finds the transcode still waiting.
 */
export const LIVE_INPUT_TIMEOUT_US = 15_000_000;

export interface LiveCommandInput {
  /** rtmp://<api>:<port>/live/<internal name> (validated by contracts' liveIngestUrlSchema). */
  inputUrl: string;
  /** The stream as ffprobe saw it. */
  info: MediaInfo;
  ladder: readonly LadderRung[];
  /** Absolute folder ffmpeg writes `<rung>/index.m3u8`, `<rung>/init.mp4` and segments into. */
  workDir: string;
  segmentSeconds: number;
  /**
   * Continue the playlists already in workDir (another transcoder ran this live and died): see
   * continuePlaylists.
   */
  resume?: boolean;
}

/**
 * The frame rate to plan and filter a live at. A stream that does not say (some encoders omit it), or says
 * something no camera sends, gets LIVE_FALLBACK_FPS: a browser's recorder (going live from the browser)
 * has variable frame timing in a 1 ms time base, which ffprobe reports as 1000 fps; taken at its word, the
 * fps filter would make 1000 frames a second and the live would crawl at 3 % of real time.
 */
export function liveFrameRate(video: { fps: number; frameRate: string }): { fps: number; frameRate: string } {
  return video.fps > 0 && video.fps <= MAX_FPS
    ? { fps: video.fps, frameRate: video.frameRate }
    : { fps: LIVE_FALLBACK_FPS, frameRate: String(LIVE_FALLBACK_FPS) };
}

/** x264 for a live, in both modes: fast enough for real time on a small box, no frame held back (zerolatency). */
export const LIVE_X264: readonly string[] = ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'];

/** The live ladder for a stream: up to three rungs at or below the source, capped at 720p. */
export function chooseLiveLadder(info: MediaInfo): LadderRung[] {
  const video = info.video;
  if (!video) throw new Error('a live stream needs video');
  const { fps } = liveFrameRate(video);
  return chooseLadder({ ...video, fps, bitrate: video.bitrate ?? info.bitrate }, { maxHeight: LIVE_MAX_HEIGHT });
}

/**
 * ffmpeg argv (without the binary) for a live: read the local RTMP stream, decode once, scale in a cascade
 * (the VOD filter graph), encode every rung with x264 `veryfast` + `zerolatency` (no B-frames, no
 * lookahead: reference/live.md §5 measured 0.30 s origin lag with it, 0.93 s without), keyframes forced
 * at every segment boundary on every rung (aligned; the source's own GOP does not matter, OBS users set
 * anything), and write fMP4 HLS EVENT playlists (append-only: the whole live stays listed, so its
 * segments become the replay with no second encode).
 */
export function buildLiveHlsCommand(input: LiveCommandInput): string[] {
  const args = buildLadderCommand(input);
  return input.resume ? continuePlaylists(args) : args;
}

/**
 * ffmpeg's `append_list`: the muxer reads each rung's existing playlist, keeps its segments, numbers the
 * new ones after the last (media sequence and `seg_%05d` go on) and writes EXT-X-DISCONTINUITY before the
 * first new one (tried with ffmpeg 5.1: a second run over the same folder gives seg_00003.. after
 * seg_00002 and one DISCONTINUITY; the init segment comes out byte for byte the same for the same ladder).
 * Only on a resume: over an empty folder it would open the playlist with a DISCONTINUITY.
 */
export function continuePlaylists(args: readonly string[]): string[] {
  const at = args.indexOf('-hls_flags');
  if (at < 0 || at + 1 >= args.length) throw new Error('continuePlaylists needs an hls output');
  const out = [...args];
  out[at + 1] = `${out[at + 1]}+append_list`;
  return out;
}

function buildLadderCommand({ inputUrl, info, ladder, workDir, segmentSeconds }: LiveCommandInput): string[] {
  const video = info.video;
  if (!video) throw new Error('buildLiveHlsCommand needs a stream with video');
  if (ladder.length === 0) throw new Error('buildLiveHlsCommand needs at least one rung');
  if (!isAbsolute(workDir)) throw new Error('buildLiveHlsCommand needs an absolute output folder');
  if (!/^rtmp:\/\//.test(inputUrl)) throw new Error('a live reads rtmp:// only');
  const args: string[] = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1'];
  args.push(
    // Only the RTMP protocol (over TCP) and the FLV demuxer: a forged URL cannot make ffmpeg open a file.
    '-protocol_whitelist',
    'rtmp,tcp',
    '-rw_timeout',
    String(LIVE_INPUT_TIMEOUT_US),
    '-f',
    'flv',
    '-i',
    inputUrl,
  );
  const { frameRate } = liveFrameRate(video);
  args.push('-filter_complex', buildFilterGraph(video.index, frameRate, ladder, { constantRate: true }));
  // The same outputs as a VOD stream: video variants and one shared audio rendition (its segments become
  // the replay as they are).
  // A live keeps one audio: the main track (issue 12's several renditions are for uploads).
  const outputs = ladderOutputs(ladder, info.audio?.index);
  args.push(...outputs.maps);
  args.push(
    ...LIVE_X264,
    // An IDR at every segment boundary, at the same timestamps on every rung.
    ...alignedKeyframes(ladder, segmentSeconds),
  );
  ladder.forEach((rung, i) => {
    const rate = String(rung.videoBitrate);
    // Constant bit rate with a one-second VBV buffer: a live has no second pass and players need steady segments.
    args.push(`-b:v:${i}`, rate, `-maxrate:v:${i}`, rate, `-bufsize:v:${i}`, rate);
  });
  args.push(
    ...outputs.audio,
    '-map_metadata',
    '-1',
    '-max_muxing_queue_size',
    '1024',
    ...hlsMuxerArgs(workDir, outputs.variants, segmentSeconds),
    '-var_stream_map',
    outputs.varStreamMap,
    join(workDir, '%v', 'index.m3u8'),
  );
  return args;
}

/** ffprobe argv for a live stream: the same protocol and demuxer limits, a short analysis (the GOP cache answers at once). */
export function buildLiveProbeArgs(inputUrl: string): string[] {
  return [
    '-v',
    'error',
    '-protocol_whitelist',
    'rtmp,tcp',
    '-rw_timeout',
    String(LIVE_INPUT_TIMEOUT_US),
    // One second: the RTMP server's GOP cache delivers that much at once, so the probe does not wait for real time.
    '-analyzeduration',
    '1000000',
    '-f',
    'flv',
    '-show_format',
    '-show_streams',
    '-print_format',
    'json',
    '-i',
    inputUrl,
  ];
}
