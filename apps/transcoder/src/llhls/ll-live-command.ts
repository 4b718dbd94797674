import { AAC_STEREO, AUDIO_RENDITION_NAME, buildFilterGraph } from '../ffmpeg/hls-command.js';
import { AUDIO_BITRATE, type LadderRung } from '../ffmpeg/ladder.js';
import { LIVE_INPUT_TIMEOUT_US, liveFrameRate } from '../ffmpeg/live-command.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';

/**
 * Length ffmpeg cuts fragments at (-frag_duration): one LL-HLS part each. A third of a second splits a 1 s
 * segment into three parts at 30 fps (10 frames each; ffmpeg closes a fragment at the first frame at or
 * past the length, so a hair below 1/3 s). reference/live.md: parts of 200-500 ms; MediaMTX found parts
 * under 200 ms unstable.
 */
export const LL_FRAGMENT_SEC = 0.333;
/**
 * x264 for a low-latency live: the standard live's settings with `ultrafast` instead of `veryfast`. A
 * live's latency is only as good as its ladder's speed: below 1x real time every second adds to the lag
 * and nothing takes it back (bench/live on the shared 2-core box: the ladder got ~0.4 of a core, ran at
 * 0.78x and the glass-to-glass median grew to 11 s). `ultrafast` cut the ladder's CPU per media second by
 * about a quarter here (0.38 -> 0.28 core-seconds for 720/480/360 from 720p30), which is the margin that
 * keeps it at real time; at the same constant bit rate the cost is picture quality, not latency.
 */
export const LL_X264: readonly string[] = ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'];
/** AAC-LC frames: 1024 samples at 48 kHz. */
export const AAC_FRAME_SEC = 1024 / 48000;

export interface LlLiveCommandInput {
  inputUrl: string;
  info: MediaInfo;
  ladder: readonly LadderRung[];
  segmentSeconds: number;
}

export interface LlLiveCommand {
  args: string[];
  /** Output `i` is written to file descriptor 3 + i: the ladder's rungs in order, then the audio rendition. */
  outputs: Array<{ name: string; kind: 'video' | 'audio-rendition' }>;
}

/**
 * ffmpeg argv for a low-latency live (issue 8). ffmpeg 5.1 cannot write LL-HLS parts, so it writes one
 * fragmented MP4 per rung to its own pipe (`pipe:3`, `pipe:4`...) and the packager (ll-rung-packager.ts)
 * cuts parts and segments. The input and filter graph are the standard live's (read RTMP only, decode
 * once, cascade scaling), and so is the x264 shape (`zerolatency`, IDRs forced at every segment boundary at
 * the same timestamps on every rung) but at `ultrafast` (LL_X264); each rung is its own output file, so
 * each gets its own encoder options. `frag_keyframe` starts a fragment at every keyframe (so a segment's first part is independent),
 * `-frag_duration` cuts the rest, `empty_moov` makes the init segment come first (a pipe cannot seek back),
 * `default_base_moof` makes every fragment self-contained (data offsets from its own moof).
 */
export function buildLowLatencyLiveCommand({ inputUrl, info, ladder, segmentSeconds }: LlLiveCommandInput): LlLiveCommand {
  const video = info.video;
  if (!video) throw new Error('buildLowLatencyLiveCommand needs a stream with video');
  if (ladder.length === 0) throw new Error('buildLowLatencyLiveCommand needs at least one rung');
  if (!/^rtmp:\/\//.test(inputUrl)) throw new Error('a live reads rtmp:// only');
  const args: string[] = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1'];
  args.push('-protocol_whitelist', 'rtmp,tcp', '-rw_timeout', String(LIVE_INPUT_TIMEOUT_US), '-f', 'flv', '-i', inputUrl);
  const { frameRate } = liveFrameRate(video);
  args.push('-filter_complex', buildFilterGraph(video.index, frameRate, ladder, { constantRate: true }));
  const outputs: LlLiveCommand['outputs'] = [];
  const fragmented = ['-map_metadata', '-1', '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof'];
  const fragUs = String(Math.round(LL_FRAGMENT_SEC * 1e6));
  ladder.forEach((rung, i) => {
    const gop = String(Math.max(1, Math.round(rung.fps * segmentSeconds)));
    const rate = String(rung.videoBitrate);
    args.push(
      '-map',
      `[v${i}]`,
      ...LL_X264,
      '-force_key_frames',
      `expr:gte(t,n_forced*${segmentSeconds})`,
      '-sc_threshold',
      '0',
      '-g',
      gop,
      '-keyint_min',
      gop,
      // Constant bit rate with a one-second VBV buffer, as the standard live.
      '-b:v',
      rate,
      '-maxrate',
      rate,
      '-bufsize',
      rate,
      ...fragmented,
      '-frag_duration',
      fragUs,
      `pipe:${3 + outputs.length}`,
    );
    outputs.push({ name: rung.name, kind: 'video' });
  });
  if (info.audio) {
    args.push(
      '-map',
      `0:${info.audio.index}`,
      ...AAC_STEREO,
      '-b:a',
      String(AUDIO_BITRATE),
      ...fragmented,
      '-frag_duration',
      fragUs,
      `pipe:${3 + outputs.length}`,
    );
    outputs.push({ name: AUDIO_RENDITION_NAME, kind: 'audio-rendition' });
  }
  return { args, outputs };
}
