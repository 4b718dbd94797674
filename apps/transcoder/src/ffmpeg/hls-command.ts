import { isAbsolute, join } from 'node:path';
import { AUDIO_FOLDER, chooseAudioRenditions, type AudioRendition } from './audio-tracks.js';
import { hardenedInput } from './hardened-input.js';
import { MEDIA_PLAYLIST_NAME } from '@reelroom/contracts';
import { AUDIO_BITRATE, type LadderRung } from './ladder.js';
import type { MediaInfo } from './media-info.js';
import {
  DEFAULT_FIRST_SEGMENT_SEC,
  keyframeExpression,
  muxerSegmentSeconds,
  type FirstSegmentSec,
  type SegmentGrid,
} from './segment-grid.js';

/**
 * `rendition`: the audio is encoded once into its own rendition (`<workDir>/audio/`), which every video
 * variant plays with. `per-rung`: every video variant muxes its own AAC encode, the layout before issue 11,
 * kept only as bench/transcode.mjs's baseline.
 */
export type AudioLayout = 'rendition' | 'per-rung';

export interface HlsCommandInput {
  info: MediaInfo;
  ladder: readonly LadderRung[];
  /** Absolute, server-generated source path, or a URL our storage signed for it (hardenedInput). */
  sourcePath: string;
  /** Absolute directory ffmpeg writes into: <workDir>/<rung>/index.m3u8, init, segments. */
  workDir: string;
  /** Default `rendition`. */
  audioLayout?: AudioLayout;
  /** ffmpeg -threads (0 or absent: ffmpeg's choice). */
  threads?: number;
  /** Encode only this chunk of the video (chunking.ts): no audio, playlists into `chunk.stageDir`. */
  chunk?: ChunkEncode;
  /** Length of the first segment (segment-grid.ts); default DEFAULT_FIRST_SEGMENT_SEC. */
  firstSegmentSec?: FirstSegmentSec;
  /**
   * Name of each rung's playlist (default index.m3u8). The single pass names ffmpeg's own
   * (FFMPEG_PLAYLIST_NAME): the served index.m3u8 is the publisher's, with its target duration pinned.
   */
  playlistName?: string;
}

/** One chunk of a chunked encode, as buildHlsCommand needs it (issue 11). */
export interface ChunkEncode {
  /** Source seconds [startSec, endSec); no endSec: to the end of the source. */
  startSec: number;
  endSec?: number;
  /** Number of the chunk's first segment (segment-grid.ts segmentNumberAt). */
  startNumber: number;
  /** Seconds added to every timestamp, as an ffmpeg expression (chunking.ts reorderShift). */
  shift: string;
  /** Absolute folder for the chunk's own playlists and init segments: <stageDir>/<rung>/. */
  stageDir: string;
}

/** Folder of the (first) audio rendition, and of the one variant of audio-only media. */
export const AUDIO_RENDITION_NAME = AUDIO_FOLDER;

/** Every audio we encode: stereo AAC at 48 kHz (uploads, chunks, lives; the bit rate is the caller's). */
export const AAC_STEREO: readonly string[] = ['-c:a', 'aac', '-ac', '2', '-ar', '48000'];

/**
 * Segment target in seconds: one 2 s GOP per segment, so every segment starts on a forced IDR and the
 * stream is playable while encoding (issue 4) soon after ffmpeg starts. Shorter than Apple's 6 s nominal
 * (authoring spec 7.5), the price of publishing early; the keyframe grid, and so compression, is the same
 * as with longer segments. The first segment is shorter still (segment-grid.ts, issue 11).
 */
export const HLS_SEGMENT_SECONDS = 2;
export const KEYFRAME_SECONDS = 2;
export const CRF = 23;

/**
 * ffmpeg argv (without the binary) that decodes the source ONCE, scales it down rung by rung and
 * encodes every rung plus its audio into one fMP4 HLS set. Single pass saves the repeated decode and
 * scale work: 9-17 % less CPU than one process per rung (reference/transcoding.md §7, PeerTube #656).
 */
export function buildHlsCommand({
  info,
  ladder,
  sourcePath,
  workDir,
  audioLayout = 'rendition',
  threads,
  chunk,
  firstSegmentSec = DEFAULT_FIRST_SEGMENT_SEC,
  playlistName = MEDIA_PLAYLIST_NAME,
}: HlsCommandInput): string[] {
  const video = info.video;
  if (!video) throw new Error('buildHlsCommand needs a source with a video stream');
  if (ladder.length === 0) throw new Error('buildHlsCommand needs at least one rung');
  // The source is checked by hardenedInput (an absolute path, or a URL our storage signed).
  if (!isAbsolute(workDir)) throw new Error('buildHlsCommand needs absolute paths');
  const args: string[] = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1'];

  // Input hardening (hardened-input.ts): file protocol only, our demuxer allow-list, the demuxer forced
  // to the one ffprobe found, and `file:` so the path is never read as another protocol or an option.
  // A chunk keeps the source's timestamps (-copyts) and seeks to its start; trim in the graph cuts it
  // exactly at the keyframe grid (reference/operations.md section 4).
  if (chunk) args.push('-copyts', '-ss', String(chunk.startSec));
  args.push(...hardenedInput({ path: sourcePath, demuxer: demuxerFor(info.formatName) }));

  args.push('-filter_complex', buildFilterGraph(video.index, video.frameRate, ladder, { head: chunk ? chunkFilter(chunk) : undefined }));

  // A chunk is video only: each audio track is encoded once for the whole file (buildAudioHlsCommand).
  const outputs = ladderOutputs(ladder, chunk ? [] : chooseAudioRenditions(info), audioLayout);
  args.push(...outputs.maps);

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
    // A chunk after the first starts on the 2 s grid, and `t` counts from its first frame: uniform keyframes.
    ...alignedKeyframes(ladder, KEYFRAME_SECONDS, chunk && chunk.startSec > 0 ? KEYFRAME_SECONDS : firstSegmentSec),
    ...(threads ? ['-threads', String(threads)] : []),
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

  args.push(...outputs.audio);

  args.push(
    // Drop uploader metadata (names, GPS, encoder tags) from the public renditions.
    '-map_metadata',
    '-1',
    // Sources with sparse or late audio otherwise fail with "Too many packets buffered for output stream".
    '-max_muxing_queue_size',
    '1024',
    // A chunk's segments go straight to the served rung folders under their final numbers; its own
    // playlists and init segments stay in its stage folder until the chunk is published.
    ...(chunk ? ['-start_number', String(chunk.startNumber)] : []),
    ...hlsMuxerArgs(workDir, outputs.variants, muxerSegmentSeconds(vodGrid(firstSegmentSec))),
    '-var_stream_map',
    outputs.varStreamMap,
    join(chunk ? chunk.stageDir : workDir, '%v', playlistName),
  );
  return args;
}

/**
 * The chunk's frames in source time, then shifted as a whole: `trim` keeps [start, end), and the shift
 * (the encoder's B-frame delay) makes every chunk's timestamps what the single pass muxer's own shift
 * gives, so chunk 0 needs no negative-timestamp shift and no chunk overlaps the one before.
 */
function chunkFilter(chunk: ChunkEncode): string {
  const end = chunk.endSec === undefined ? '' : `:end=${chunk.endSec}`;
  return `trim=start=${chunk.startSec}${end},setpts=PTS+(${chunk.shift})/TB`;
}

/** The audio stream a rendition maps and the folder it is written to. */
export type AudioOutput = Pick<AudioRendition, 'streamIndex' | 'name'>;

export interface LadderOutputs {
  /** `-map` arguments: every rung's filter output, then each audio track once (or the main one once per rung). */
  maps: string[];
  /** Audio encoder arguments (none for a silent source). */
  audio: string[];
  varStreamMap: string;
  /** How many playlists ffmpeg writes. */
  variants: number;
}

/**
 * Maps, audio encoding and variant map of a ladder, shared by the VOD and the live command. With renditions
 * each audio track is decoded, resampled and encoded once instead of once per rung (bench/transcode.mjs
 * measures the CPU this saves), and switching quality never reloads audio; several tracks (issue 12) are
 * several renditions of the same group, each encoded once. Stereo AAC-LC at 48 kHz (authoring spec
 * 2.3/2.9); multichannel sources are downmixed. `audio`: the tracks as renditions, or the one stream index
 * (live, per-rung), or nothing for a silent source.
 */
export function ladderOutputs(
  ladder: readonly LadderRung[],
  audio: number | readonly AudioOutput[] | undefined,
  layout: AudioLayout = 'rendition',
): LadderOutputs {
  const n = ladder.length;
  const maps = ladder.flatMap((_, i) => ['-map', `[v${i}]`]);
  const tracks: readonly AudioOutput[] = typeof audio === 'number' ? [{ streamIndex: audio, name: AUDIO_RENDITION_NAME }] : (audio ?? []);
  if (tracks.length === 0) return { maps, audio: [], varStreamMap: buildVarStreamMap(ladder, false), variants: n };
  const encode = [...AAC_STEREO];
  if (layout === 'per-rung') {
    // The baseline layout has one audio per variant: the main track only.
    const main = tracks[0];
    for (let i = 0; i < n; i++) maps.push('-map', `0:${main.streamIndex}`);
    return {
      maps,
      audio: [...encode, ...ladder.flatMap((rung, i) => [`-b:a:${i}`, String(rung.audioBitrate)])],
      varStreamMap: buildVarStreamMap(ladder, true, 'per-rung'),
      variants: n,
    };
  }
  for (const t of tracks) maps.push('-map', `0:${t.streamIndex}`);
  return {
    maps,
    audio: [...encode, ...tracks.flatMap((_, k) => [`-b:a:${k}`, String(AUDIO_BITRATE)])],
    varStreamMap: buildVarStreamMap(
      ladder,
      tracks.map((t) => t.name),
    ),
    variants: n + tracks.length,
  };
}

/** The VOD segment grid with this first segment length. */
export const vodGrid = (firstSec: number): SegmentGrid => ({ firstSec, segmentSec: HLS_SEGMENT_SECONDS });

/**
 * An IDR every `seconds` at the same timestamps in every rung (authoring spec 1.13, 7.4, 8.22), shared by
 * the VOD and the live ladder: keyframes forced by time, a GOP of exactly that length per rung (its own fps),
 * and no scene-cut keyframes, which would differ between rungs. `firstSec` below `seconds` adds one IDR at
 * `firstSec` (segment-grid.ts); x264 takes a forced IDR whatever -keyint_min says, and its GOP count
 * restarts there, so the 2 s IDR after it is forced too.
 */
export function alignedKeyframes(ladder: readonly Pick<LadderRung, 'fps'>[], seconds: number, firstSec: number = seconds): string[] {
  const args = ['-force_key_frames', keyframeExpression({ firstSec, segmentSec: seconds }), '-sc_threshold', '0'];
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
    ...alignedStartArgs(),
    '-hls_fmp4_init_filename',
    initFilenameFor(variants),
    '-hls_segment_filename',
    join(workDir, '%v', 'seg_%05d.m4s'),
  ];
}

/**
 * Makes the video and audio tracks start together in the segments themselves, for MSE players (hls.js,
 * Shaka, VHS), which ignore the init segment's edit lists. By default each track's fragments start at 0:
 * the video's first frame is then shown at 0.067 s (two frames of B-frame reorder delay as composition
 * offset) while the audio's first real sample plays at 0.021 s (after 1024 samples of AAC priming), so
 * audio ran 46 ms ahead. `negative_cts_offsets` lets the first frame's composition time equal its decode
 * time (version-1 trun, negative offsets for B-frames), and `frag_discont` keeps each track's absolute
 * timestamps in tfdt instead of moving it to 0: the muxer's common start shift then puts the first video
 * frame and the first audio sample after the priming at the same instant (measured with test/support
 * fmp4 parsing in hls-pipeline.test.ts).
 */
export function alignedStartArgs(): string[] {
  return ['-hls_segment_options', 'movflags=+negative_cts_offsets+frag_discont'];
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
  /** Seconds added to every timestamp, as an ffmpeg expression: the chunked video's shift (chunking.ts). */
  shift?: string;
  /** Which track, into which folder (chunked encoding: one part per track); default the main audio into `audio/`. */
  rendition?: AudioOutput;
  /** -hls_time: a chunked video's audio rendition is cut as the single pass cuts it (segment-grid.ts muxerSegmentSeconds). */
  segmentSec?: number;
  /** Name of the playlist in the rung folder (default index.m3u8); see HlsCommandInput.playlistName. */
  playlistName?: string;
}

/** Name of the only variant of an audio-only stream: <workDir>/audio/index.m3u8. */
export const AUDIO_RUNG_NAME = AUDIO_RENDITION_NAME;
export const AUDIO_ONLY_BITRATE = 128_000;

/**
 * One audio stream as stereo AAC-LC (authoring spec 2.3/2.9) fMP4 HLS: the one variant of audio-only
 * uploads, or one audio rendition of a chunked video encode.
 */
export function buildAudioHlsCommand({
  info,
  sourcePath,
  workDir,
  bitrate = AUDIO_ONLY_BITRATE,
  shift,
  rendition,
  segmentSec = HLS_SEGMENT_SECONDS,
  playlistName = MEDIA_PLAYLIST_NAME,
}: AudioHlsCommandInput): string[] {
  const audio = info.audio;
  if (!audio) throw new Error('buildAudioHlsCommand needs a source with an audio stream');
  const track = rendition ?? { streamIndex: audio.index, name: AUDIO_RUNG_NAME };
  // The source is checked by hardenedInput (an absolute path, or a URL our storage signed).
  if (!isAbsolute(workDir)) throw new Error('buildAudioHlsCommand needs absolute paths');
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
    `0:${track.streamIndex}`,
    ...(shift ? ['-af', `asetpts=PTS+(${shift})/TB`] : []),
    '-vn',
    '-sn',
    '-dn',
    ...AAC_STEREO,
    '-b:a',
    String(bitrate),
    '-map_metadata',
    '-1',
    ...hlsMuxerArgs(workDir, 1, segmentSec),
    '-var_stream_map',
    `a:0,name:${track.name}`,
    join(workDir, '%v', playlistName),
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
export function buildFilterGraph(
  videoIndex: number,
  sourceFrameRate: string,
  ladder: readonly LadderRung[],
  { constantRate = false, head }: { constantRate?: boolean; head?: string } = {},
): string {
  const n = ladder.length;
  const parts: string[] = [];
  ladder.forEach((rung, i) => {
    const input = i === 0 ? `[0:${videoIndex}]${head ? `${head},` : ''}` : `[c${i - 1}]`;
    // Drop frames evenly (source rate / divisor); the exact rational keeps 30000/1001 sources exact.
    // `constantRate` (lives): every rung gets its rate set, because a variable-rate source (a browser's
    // recorder, 1 ms time base) would otherwise be made constant at 1000 fps by duplicating frames.
    const fps = rung.fpsDivisor > 1 ? `fps=${sourceFrameRate}/${rung.fpsDivisor}` : constantRate ? `fps=${sourceFrameRate}` : null;
    const out = fps ? `[t${i}]` : `[v${i}]`;
    // setsar=1: square pixels at the ladder's even size (see scaledSize), instead of the 1280:1281 that
    // scale alone keeps for 854x480 from 16:9; also what makes an anamorphic source square.
    const scale = `scale=w=${rung.width}:h=${rung.height},setsar=1`;
    parts.push(i === n - 1 ? `${input}${scale}${out}` : `${input}${scale},split=2${out}[c${i}]`);
    if (fps) parts.push(`[t${i}]${fps}[v${i}]`);
  });
  return parts.join(';');
}

/**
 * "v:0,name:high v:1,name:medium a:0,name:audio a:1,name:audio-2": video variants, then one entry per audio
 * rendition (`true`: the one `audio`; none for a silent source); per-rung audio muxes one audio stream into
 * each: "v:0,a:0,name:high v:1,a:1,name:medium".
 */
export function buildVarStreamMap(
  ladder: readonly LadderRung[],
  audio: boolean | readonly string[],
  layout: AudioLayout = 'rendition',
): string {
  const names = audio === true ? [AUDIO_RENDITION_NAME] : audio === false ? [] : audio;
  if (names.length > 0 && layout === 'per-rung') return ladder.map((rung, i) => `v:${i},a:${i},name:${rung.name}`).join(' ');
  const video = ladder.map((rung, i) => `v:${i},name:${rung.name}`);
  return [...video, ...names.map((name, k) => `a:${k},name:${name}`)].join(' ');
}

/** First demuxer name of ffprobe's list ("mov,mp4,m4a,3gp,3g2,mj2" -> "mov"), for `-f`. */
export function demuxerFor(formatName: string): string {
  const first = formatName.split(',')[0] ?? '';
  if (!/^[a-z0-9_]+$/.test(first)) throw new Error(`unexpected format name ${formatName}`);
  return first;
}
