import { isAbsolute, join } from 'node:path';
import { hardenedInput } from './hardened-input.js';
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

/**
 * Segment target in seconds: one 2 s GOP per segment, so every segment starts on a forced IDR and the
 * first segment of every rung lands about 2 s of media after ffmpeg starts: the stream is playable while
 * encoding (issue 4). Shorter than Apple's 6 s nominal (authoring spec 7.5), the price of publishing
 * early; the keyframe grid, and so compression, is the same as with longer segments.
 */
export const HLS_SEGMENT_SECONDS = 2;
export const KEYFRAME_SECONDS = 2;
export const CRF = 23;

/**
 * ffmpeg argv (without the binary) that decodes the source ONCE, scales it down rung by rung and
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

  // Input hardening (hardened-input.ts): file protocol only, our demuxer allow-list, the demuxer forced
  // to the one ffprobe found, and `file:` so the path is never read as another protocol or an option.
  args.push(...hardenedInput({ path: sourcePath, demuxer: demuxerFor(info.formatName) }));

  args.push('-filter_complex', buildFilterGraph(video.index, video.frameRate, ladder));

  for (let i = 0; i < n; i++) args.push('-map', `[v${i}]`);
  if (hasAudio) for (let i = 0; i < n; i++) args.push('-map', `0:${info.audio!.index}`);

  args.push(
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    // Capped CRF: constant quality, with -maxrate/-bufsize per rung as a VBV ceiling (PeerTube, Immich;
    // https://trac.ffmpeg.org/wiki/Encode/H.264#AdditionalInformationTips "constrained encoding").
    '-crf',
    String(CRF),
    '-profile:v',
    'high',
    // Browsers and Apple devices decode 8-bit 4:2:0 only (HLS authoring spec 1.2/1.3).
    '-pix_fmt',
    'yuv420p',
    ...alignedKeyframes(ladder, KEYFRAME_SECONDS),
  );
  ladder.forEach((rung, i) => {
    args.push(
      `-maxrate:v:${i}`,
      String(rung.videoBitrate),
      // bufsize 2T: the VBV window PeerTube uses; keeps peak segment bitrate near 2x average at most
      // (authoring spec 1.30).
      `-bufsize:v:${i}`,
      String(rung.videoBitrate * 2),
    );
  });

  if (hasAudio) {
    // Stereo AAC-LC at 48 kHz (authoring spec 2.3/2.9); multichannel sources are downmixed.
    args.push('-c:a', 'aac', '-ac', '2', '-ar', '48000');
    ladder.forEach((rung, i) => args.push(`-b:a:${i}`, String(rung.audioBitrate)));
  }

  args.push(
    // Drop uploader metadata (names, GPS, encoder tags) from the public renditions.
    '-map_metadata',
    '-1',
    // Sources with sparse or late audio otherwise fail with "Too many packets buffered for output stream".
    '-max_muxing_queue_size',
    '1024',
    ...hlsMuxerArgs(workDir, n),
    '-var_stream_map',
    buildVarStreamMap(ladder, hasAudio),
    join(workDir, '%v', 'index.m3u8'),
  );
  return args;
}

/**
 * An IDR every `seconds` at the same timestamps in every rung (authoring spec 1.13, 7.4, 8.22), shared by
 * the VOD and the live ladder: keyframes forced by time, a GOP of exactly that length per rung (its own fps),
 * and no scene-cut keyframes, which would differ between rungs.
 */
export function alignedKeyframes(ladder: readonly Pick<LadderRung, 'fps'>[], seconds: number): string[] {
  const args = ['-force_key_frames', `expr:gte(t,n_forced*${seconds})`, '-sc_threshold', '0'];
  ladder.forEach((rung, i) => {
    const gop = String(Math.max(1, Math.round(rung.fps * seconds)));
    args.push(`-g:v:${i}`, gop, `-keyint_min:v:${i}`, gop);
  });
  return args;
}

/**
 * The HLS muxer options shared by the video ladder and the audio-only stream: an EVENT playlist (append-only,
 * no ENDLIST until done) written straight into the served directory, so players can start while ffmpeg
 * appends; transcodeToHls rewrites it as VOD at the end. `temp_file` makes ffmpeg write each segment and
 * playlist to `<name>.tmp` and rename it, so a reader never sees a half-written file.
 */
export function hlsMuxerArgs(workDir: string, variants: number, segmentSeconds: number = HLS_SEGMENT_SECONDS): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    String(segmentSeconds),
    '-hls_playlist_type',
    'event',
    '-hls_segment_type',
    'fmp4',
    '-hls_flags',
    'independent_segments+temp_file',
    '-hls_fmp4_init_filename',
    initFilenameFor(variants),
    '-hls_segment_filename',
    join(workDir, '%v', 'seg_%05d.m4s'),
  ];
}

/**
 * With several variants ffmpeg 5.1 appends `_<index>` to the init name unless it contains %v (hlsenc.c,
 * checked by hand), and the name is taken relative to the variant's playlist directory. `../%v/init.mp4`
 * therefore lands as <rung>/init.mp4 under its final name from the first byte, so nothing is renamed while
 * players read the stream; the EXT-X-MAP URI `../<rung>/init.mp4` resolves to the same file and becomes
 * `init.mp4` in the final VOD rewrite. A single variant gets no suffix.
 */
export function initFilenameFor(variants: number): string {
  return variants > 1 ? '../%v/init.mp4' : 'init.mp4';
}

export interface AudioHlsCommandInput {
  info: MediaInfo;
  sourcePath: string;
  workDir: string;
  /** Default 128 kb/s. */
  bitrate?: number;
}

/** Name of the only variant of an audio-only stream: <workDir>/audio/index.m3u8. */
export const AUDIO_RUNG_NAME = 'audio';
export const AUDIO_ONLY_BITRATE = 128_000;

/** Audio-only uploads: one stereo AAC-LC rung (authoring spec 2.3/2.9) as fMP4 HLS. */
export function buildAudioHlsCommand({ info, sourcePath, workDir, bitrate = AUDIO_ONLY_BITRATE }: AudioHlsCommandInput): string[] {
  const audio = info.audio;
  if (!audio) throw new Error('buildAudioHlsCommand needs a source with an audio stream');
  if (!isAbsolute(sourcePath) || !isAbsolute(workDir)) throw new Error('buildAudioHlsCommand needs absolute paths');
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'warning',
    '-nostats',
    '-progress',
    'pipe:1',
    ...hardenedInput({ path: sourcePath, demuxer: demuxerFor(info.formatName) }),
    '-map',
    `0:${audio.index}`,
    '-vn',
    '-sn',
    '-dn',
    '-c:a',
    'aac',
    '-ac',
    '2',
    '-ar',
    '48000',
    '-b:a',
    String(bitrate),
    '-map_metadata',
    '-1',
    ...hlsMuxerArgs(workDir, 1),
    '-var_stream_map',
    `a:0,name:${AUDIO_RUNG_NAME}`,
    join(workDir, '%v', 'index.m3u8'),
  ];
}

/**
 * Decode once, then scale in a cascade: each rung is scaled from the rung above it, not from the
 * source: `[0:v]scale=1920x1080,split=2[v0][c0];[c0]scale=1280x720,split=2[v1][c1];[c1]scale=854x480[v2]`.
 * Scaling a 1080p frame is a large share of the non-encode work; scaling 720->480 costs less than half
 * of 1080->480. Measured here (20 s 1080p30 source, 720/480/360, veryfast): 12.3-12.9 CPU s cascaded
 * vs 13.8-14.2 s with every branch scaled from the source, vs 16.7 s for one process per rung.
 * Frame-rate caps are applied per output after the split, since `fpsDivisor` is relative to the source.
 * Sizes are the ladder's (computed exactly like scale=-2:<h>) so the master playlist's RESOLUTION is what
 * was encoded.
 */
export function buildFilterGraph(videoIndex: number, sourceFrameRate: string, ladder: readonly LadderRung[]): string {
  const n = ladder.length;
  const parts: string[] = [];
  ladder.forEach((rung, i) => {
    const input = i === 0 ? `[0:${videoIndex}]` : `[c${i - 1}]`;
    // Drop frames evenly (source rate / divisor); the exact rational keeps 30000/1001 sources exact.
    const fps = rung.fpsDivisor > 1 ? `fps=${sourceFrameRate}/${rung.fpsDivisor}` : null;
    const out = fps ? `[t${i}]` : `[v${i}]`;
    // setsar=1: square pixels at the ladder's even size (see scaledSize), instead of the 1280:1281 that
    // scale alone keeps for 854x480 from 16:9; also what makes an anamorphic source square.
    const scale = `scale=w=${rung.width}:h=${rung.height},setsar=1`;
    parts.push(i === n - 1 ? `${input}${scale}${out}` : `${input}${scale},split=2${out}[c${i}]`);
    if (fps) parts.push(`[t${i}]${fps}[v${i}]`);
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
