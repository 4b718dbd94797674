import { join } from 'node:path';
import { chooseAudioRenditions, type AudioRendition } from './audio-tracks.js';
import { chunkStageName, reorderShift, type ChunkSpan } from './chunking.js';
import {
  AUDIO_ONLY_BITRATE,
  AUDIO_RENDITION_NAME,
  AUDIO_RUNG_NAME,
  buildAudioHlsCommand,
  buildHlsCommand,
  vodGrid,
} from './hls-command.js';
import { FFMPEG_PLAYLIST_NAME, type RungKind } from './hls-output.js';
import { AUDIO_BITRATE, chooseLadder, type LadderRung, type RungName } from './ladder.js';
import type { MediaInfo } from './media-info.js';
import { muxerSegmentSeconds, type FirstSegmentSec } from './segment-grid.js';
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
  /** An audio rendition's track: its NAME, LANGUAGE and DEFAULT in the master (absent: "Main", the default). */
  track?: Pick<AudioRendition, 'label' | 'language' | 'isDefault'>;
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
  /** Length of the first segment (segment-grid.ts): FIRST_SEGMENT_SEC. */
  firstSegmentSec: FirstSegmentSec;
}

/**
 * Probe info -> what to encode and the one ffmpeg command that encodes it: video ladder or one audio rung.
 * ffmpeg writes each rung's playlist as FFMPEG_PLAYLIST_NAME; HlsPublisher serves it as index.m3u8.
 */
export function planHls({ info, sourcePath, outDir, maxHeight, threads, firstSegmentSec }: HlsPlanInput): HlsPlan {
  const video = info.video;
  if (!video) {
    const variants: PlannedVariant[] = [{ name: AUDIO_RUNG_NAME, kind: 'audio', estimate: estimateBandwidth(0, AUDIO_ONLY_BITRATE) }];
    return { variants, ladder: [], args: buildAudioHlsCommand({ info, sourcePath, workDir: outDir, playlistName: FFMPEG_PLAYLIST_NAME }) };
  }
  // The container rate is an upper bound for the video's own rate when the stream does not state one (mkv).
  const ladder = chooseLadder({ ...video, bitrate: video.bitrate ?? info.bitrate }, { maxHeight });
  return {
    variants: plannedVariants(ladder, chooseAudioRenditions(info)),
    ladder,
    args: buildHlsCommand({ info, ladder, sourcePath, workDir: outDir, threads, firstSegmentSec, playlistName: FFMPEG_PLAYLIST_NAME }),
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
  /** The audio renditions (none for a silent source): each is one part, encoded once for the whole file. */
  audioTracks: AudioRendition[];
  /** argv of audio track `track` (0-based, < audioTracks.length) for the whole file into `<outDir>/<its folder>/`. */
  audioArgs(track: number): string[];
}

/** The chunked form of planHls for a video source (issue 11): the same ladder, encoded chunk by chunk. */
export function planChunkedHls({ info, sourcePath, outDir, maxHeight, threads, firstSegmentSec }: HlsPlanInput): ChunkedHlsPlan {
  const video = info.video;
  if (!video) throw new Error('only video sources are chunked');
  const ladder = chooseLadder({ ...video, bitrate: video.bitrate ?? info.bitrate }, { maxHeight });
  const shift = reorderShift(video.frameRate, ladder);
  const audioTracks = chooseAudioRenditions(info);
  return {
    variants: plannedVariants(ladder, audioTracks),
    ladder,
    audioTracks,
    stageOf: (span) => chunkStageName(span.index),
    chunkArgs: (span) =>
      buildHlsCommand({
        info,
        ladder,
        sourcePath,
        workDir: outDir,
        threads,
        firstSegmentSec,
        chunk: { ...span, shift, stageDir: join(outDir, chunkStageName(span.index)) },
      }),
    audioArgs: (track) => {
      const rendition = audioTracks[track];
      if (!rendition) throw new Error(`audio track ${track} is not in the plan (${audioTracks.length} tracks)`);
      // Cut as the single pass cuts its audio rendition.
      const segmentSec = muxerSegmentSeconds(vodGrid(firstSegmentSec));
      return buildAudioHlsCommand({ info, sourcePath, workDir: outDir, bitrate: AUDIO_BITRATE, shift, rendition, segmentSec });
    },
  };
}

/**
 * What ffmpeg writes for a ladder, the VOD and the live plan alike: one video variant per rung with its
 * size, rate and estimated bandwidth, then one audio rendition per track (`true`: the one main track, as a
 * live has; `false` or none: a silent source).
 */
export function plannedVariants(ladder: readonly LadderRung[], audio: boolean | readonly AudioRendition[]): PlannedVariant[] {
  const video: PlannedVariant[] = ladder.map((rung) => ({
    name: rung.name,
    kind: 'video',
    width: rung.width,
    height: rung.height,
    fps: rung.fps,
    estimate: estimateBandwidth(rung.videoBitrate, 0),
  }));
  const estimate = estimateBandwidth(0, AUDIO_BITRATE);
  if (audio === false) return video;
  if (audio === true) return [...video, { name: AUDIO_RENDITION_NAME, kind: 'audio-rendition', estimate }];
  return [
    ...video,
    ...audio.map((a): PlannedVariant => ({
      name: a.name,
      kind: 'audio-rendition',
      estimate,
      track: { label: a.label, language: a.language, isDefault: a.isDefault },
    })),
  ];
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
  // A variant plays with one audio rendition: its BANDWIDTH counts the largest (buildMasterPlaylist).
  const audioPeak = Math.max(0, ...finished.filter((f) => f.kind === 'audio-rendition').map((f) => measureBandwidth(f.segments).peak));
  return ladder.flatMap((rung) => {
    if (!rung.tier) return [];
    const v = finished.find((f) => f.name === rung.name);
    if (!v) throw new Error(`rung ${rung.name} missing from the output`);
    return [{ name: rung.tier, width: rung.width, height: rung.height, bitrate: measureBandwidth(v.segments).peak + audioPeak }];
  });
}
