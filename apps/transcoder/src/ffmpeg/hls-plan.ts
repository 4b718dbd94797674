import { join } from 'node:path';
import { chunkStageName, reorderShift, type ChunkSpan } from './chunking.js';
import { AUDIO_ONLY_BITRATE, AUDIO_RENDITION_NAME, AUDIO_RUNG_NAME, buildAudioHlsCommand, buildHlsCommand } from './hls-command.js';
import type { RungKind } from './hls-output.js';
import { AUDIO_BITRATE, chooseLadder, type LadderRung, type RungName } from './ladder.js';
import type { MediaInfo } from './media-info.js';
import { estimateBandwidth, measureBandwidth, type Bandwidth, type SegmentSize } from './master-playlist.js';

/** One variant of the output as planned before ffmpeg runs. */
export interface PlannedVariant {
  /** Folder name under the output: `high`, `medium`, `low`, a step rung (`medium-low`) or `audio`. */
  name: string;
  kind: RungKind;
  width?: number;
  height?: number;
  fps?: number;
  /** BANDWIDTH until the segments can be measured. */
  estimate: Bandwidth;
}

export interface HlsPlan {
  variants: PlannedVariant[];
  /** The video ladder, best first; empty for audio-only media. */
  ladder: LadderRung[];
  /** The encoding ffmpeg's argv (without the binary). */
  args: string[];
}

export interface HlsPlanInput {
  info: MediaInfo;
  /** Absolute path ffmpeg reads. */
  sourcePath: string;
  /** Absolute folder ffmpeg writes `<variant>/...` into. */
  outDir: string;
  /** Top of the ladder (short side). */
  maxHeight: number;
  /** ffmpeg -threads (0 or absent: ffmpeg's choice). */
  threads?: number;
}

/** Probe info -> what to encode and the one ffmpeg command that encodes it: video ladder or one audio rung. */
export function planHls({ info, sourcePath, outDir, maxHeight, threads }: HlsPlanInput): HlsPlan {
  const video = info.video;
  if (!video) {
    const variants: PlannedVariant[] = [{ name: AUDIO_RUNG_NAME, kind: 'audio', estimate: estimateBandwidth(0, AUDIO_ONLY_BITRATE) }];
    return { variants, ladder: [], args: buildAudioHlsCommand({ info, sourcePath, workDir: outDir }) };
  }
  // The container rate is an upper bound for the video's own rate when the stream does not state one (mkv).
  const ladder = chooseLadder({ ...video, bitrate: video.bitrate ?? info.bitrate }, { maxHeight });
  const hasAudio = info.audio !== undefined;
  return {
    variants: plannedVariants(ladder, hasAudio),
    ladder,
    args: buildHlsCommand({ info, ladder, sourcePath, workDir: outDir, threads }),
  };
}

export interface ChunkedHlsPlan {
  /** The same variants (and folders) as the single pass plan. */
  variants: PlannedVariant[];
  ladder: LadderRung[];
  /** argv of one video chunk: segments into `<outDir>/<rung>/`, playlists into `<outDir>/parts/<n>/<rung>/`. */
  chunkArgs(span: ChunkSpan): string[];
  /** The stage folder of a chunk, relative to outDir. */
  stageOf(span: Pick<ChunkSpan, 'index'>): string;
  /** argv of the whole file's audio rendition into `<outDir>/audio/` (undefined for a silent source). */
  audioArgs?: string[];
}

/** The chunked form of planHls for a video source (issue 11): the same ladder, encoded chunk by chunk. */
export function planChunkedHls({ info, sourcePath, outDir, maxHeight, threads }: HlsPlanInput): ChunkedHlsPlan {
  const video = info.video;
  if (!video) throw new Error('only video sources are chunked');
  const ladder = chooseLadder({ ...video, bitrate: video.bitrate ?? info.bitrate }, { maxHeight });
  const shift = reorderShift(video.frameRate, ladder);
  const hasAudio = info.audio !== undefined;
  return {
    variants: plannedVariants(ladder, hasAudio),
    ladder,
    stageOf: (span) => chunkStageName(span.index),
    chunkArgs: (span) =>
      buildHlsCommand({
        info,
        ladder,
        sourcePath,
        workDir: outDir,
        threads,
        chunk: { ...span, shift, stageDir: join(outDir, chunkStageName(span.index)) },
      }),
    ...(hasAudio && { audioArgs: buildAudioHlsCommand({ info, sourcePath, workDir: outDir, bitrate: AUDIO_BITRATE, shift }) }),
  };
}

/**
 * What ffmpeg writes for a ladder, the VOD and the live plan alike: one video variant per rung with its
 * size, rate and estimated bandwidth, then the shared audio rendition when the source has audio.
 */
export function plannedVariants(ladder: readonly LadderRung[], hasAudio: boolean): PlannedVariant[] {
  const video: PlannedVariant[] = ladder.map((rung) => ({
    name: rung.name,
    kind: 'video',
    width: rung.width,
    height: rung.height,
    fps: rung.fps,
    estimate: estimateBandwidth(rung.videoBitrate, 0),
  }));
  if (!hasAudio) return video;
  return [...video, { name: AUDIO_RENDITION_NAME, kind: 'audio-rendition', estimate: estimateBandwidth(0, AUDIO_BITRATE) }];
}

export interface TierRendition {
  name: RungName;
  width: number;
  height: number;
  /** Measured peak bits/s of the video plus the shared audio: the master playlist's BANDWIDTH. */
  bitrate: number;
}

/**
 * The renditions people see (high, medium, low) with their measured peak, from the finished output. Step
 * rungs (ladder.ts closeGaps) are in the master playlist for the player's adaptation, not listed here.
 */
export function tierRenditions(
  ladder: readonly LadderRung[],
  finished: ReadonlyArray<{ name: string; kind: RungKind; segments: readonly SegmentSize[] }>,
): TierRendition[] {
  // A variant plays with the shared audio rendition: its BANDWIDTH counts both (buildMasterPlaylist).
  const audio = finished.find((f) => f.kind === 'audio-rendition');
  const audioPeak = audio ? measureBandwidth(audio.segments).peak : 0;
  return ladder.flatMap((rung) => {
    if (!rung.tier) return [];
    const v = finished.find((f) => f.name === rung.name);
    if (!v) throw new Error(`rung ${rung.name} missing from the output`);
    return [{ name: rung.tier, width: rung.width, height: rung.height, bitrate: measureBandwidth(v.segments).peak + audioPeak }];
  });
}
