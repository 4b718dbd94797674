import { isAbsolute, join } from 'node:path';
import type { LadderRung } from './ladder.js';
import type { MediaInfo } from './media-info.js';

export interface HlsCommandInput {
  info: MediaInfo;
  ladder: readonly LadderRung[];
  /** Absolute, server-generated source path. */
  sourcePath: string;
  /** Absolute directory ffmpeg writes into: <workDir>/<rung>/index.m3u8, init, segments. */
  workDir: string;
}

/** Segment target in seconds: a multiple of the 2 s GOP so every segment starts on a forced IDR. */
export const HLS_SEGMENT_SECONDS = 4;
export const KEYFRAME_SECONDS = 2;
export const CRF = 23;

/**
 * ffmpeg argv (without the binary) that decodes the source ONCE, splits it into one branch per rung and
 * encodes every rung plus its audio into one fMP4 HLS set. Single pass saves the repeated decode and
 * scale work: 9-17 % less CPU than one process per rung (reference/transcoding.md §7, PeerTube #656).
 */
export function buildHlsCommand({ info, ladder, sourcePath, workDir }: HlsCommandInput): string[] {
  const video = info.video;
  if (!video) throw new Error('buildHlsCommand needs a source with a video stream');
  if (ladder.length === 0) throw new Error('buildHlsCommand needs at least one rung');
  if (!isAbsolute(sourcePath) || !isAbsolute(workDir)) throw new Error('buildHlsCommand needs absolute paths');
  const hasAudio = info.audio !== undefined;
  const n = ladder.length;

  const args: string[] = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1'];

  // Input hardening: only the file protocol (an HLS/concat text renamed .mp4 cannot pull in other files
  // or URLs), the demuxer forced to the one ffprobe found and our allow-list accepted (no second, different
  // guess at open time), and `file:` so the path is never read as another protocol or an option.
  args.push('-protocol_whitelist', 'file', '-f', demuxerFor(info.formatName), '-i', `file:${sourcePath}`);

  args.push('-filter_complex', buildFilterGraph(video.index, video.frameRate, ladder));

  for (let i = 0; i < n; i++) args.push('-map', `[v${i}]`);
  if (hasAudio) for (let i = 0; i < n; i++) args.push('-map', `0:${info.audio!.index}`);

  args.push(
    '-c:v', 'libx264',
    '-preset', 'veryfast',
    // Capped CRF: constant quality, with -maxrate/-bufsize per rung as a VBV ceiling (PeerTube, Immich;
    // https://trac.ffmpeg.org/wiki/Encode/H.264#AdditionalInformationTips "constrained encoding").
    '-crf', String(CRF),
    '-profile:v', 'high',
    // Browsers and Apple devices decode 8-bit 4:2:0 only (HLS authoring spec 1.2/1.3).
    '-pix_fmt', 'yuv420p',
    // IDR every 2 s at the same timestamps in every rung (authoring spec 1.13, 7.4, 8.22): force by time,
    // and stop x264 from adding scene-cut keyframes that would differ between rungs.
    '-force_key_frames', `expr:gte(t,n_forced*${KEYFRAME_SECONDS})`,
    '-sc_threshold', '0',
  );
  ladder.forEach((rung, i) => {
    const gop = String(Math.max(1, Math.round(rung.fps * KEYFRAME_SECONDS)));
    args.push(
      `-g:v:${i}`, gop,
      `-keyint_min:v:${i}`, gop,
      `-maxrate:v:${i}`, String(rung.videoBitrate),
      // bufsize 2T: the VBV window PeerTube uses; keeps peak segment bitrate near 2x average at most
      // (authoring spec 1.30).
      `-bufsize:v:${i}`, String(rung.videoBitrate * 2),
    );
  });

  if (hasAudio) {
    // Stereo AAC-LC at 48 kHz (authoring spec 2.3/2.9); multichannel sources are downmixed.
    args.push('-c:a', 'aac', '-ac', '2', '-ar', '48000');
    ladder.forEach((rung, i) => args.push(`-b:a:${i}`, String(rung.audioBitrate)));
  }

  args.push(
    // Drop uploader metadata (names, GPS, encoder tags) from the public renditions.
    '-map_metadata', '-1',
    // Sources with sparse or late audio otherwise fail with "Too many packets buffered for output stream".
    '-max_muxing_queue_size', '1024',
    '-f', 'hls',
    '-hls_time', String(HLS_SEGMENT_SECONDS),
    '-hls_playlist_type', 'vod',
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments',
    // With -var_stream_map, ffmpeg 5.1 appends the variant index: this lands as <rung>/init_<i>.mp4 and the
    // media playlist's EXT-X-MAP names it; transcodeToHls renames it to init.mp4 afterwards
    // (see normaliseInitSegment in hls-output.ts).
    '-hls_fmp4_init_filename', 'init.mp4',
    '-hls_segment_filename', join(workDir, '%v', 'seg_%05d.m4s'),
    '-var_stream_map', buildVarStreamMap(ladder, hasAudio),
    join(workDir, '%v', 'index.m3u8'),
  );
  return args;
}

/**
 * `[0:<v>]split=N[s0][s1]...;[s0]scale=w=W:h=H[,fps=...][v0];...` - decode once, scale each branch.
 * Sizes are the ladder's (computed exactly like scale=-2:<h>) so the master playlist's RESOLUTION is what
 * was encoded.
 */
export function buildFilterGraph(videoIndex: number, sourceFrameRate: string, ladder: readonly LadderRung[]): string {
  const n = ladder.length;
  const branches = ladder.map((_, i) => (n === 1 ? `[0:${videoIndex}]` : `[s${i}]`));
  const parts: string[] = [];
  if (n > 1) parts.push(`[0:${videoIndex}]split=${n}${ladder.map((_, i) => `[s${i}]`).join('')}`);
  ladder.forEach((rung, i) => {
    const chain = [`scale=w=${rung.width}:h=${rung.height}`];
    // Drop frames evenly (source rate / divisor); the exact rational keeps 30000/1001 sources exact.
    if (rung.fpsDivisor > 1) chain.push(`fps=${sourceFrameRate}/${rung.fpsDivisor}`);
    parts.push(`${branches[i]}${chain.join(',')}[v${i}]`);
  });
  return parts.join(';');
}

/** "v:0,a:0,name:high v:1,a:1,name:medium" (no a: entries for a silent source). */
export function buildVarStreamMap(ladder: readonly LadderRung[], hasAudio: boolean): string {
  return ladder.map((rung, i) => (hasAudio ? `v:${i},a:${i},name:${rung.name}` : `v:${i},name:${rung.name}`)).join(' ');
}

/** First demuxer name of ffprobe's list ("mov,mp4,m4a,3gp,3g2,mj2" -> "mov"), for `-f`. */
export function demuxerFor(formatName: string): string {
  const first = formatName.split(',')[0] ?? '';
  if (!/^[a-z0-9_]+$/.test(first)) throw new Error(`unexpected format name ${formatName}`);
  return first;
}
