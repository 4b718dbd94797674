import { basename, dirname, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { FfmpegRunner, type FfmpegRun } from '../ffmpeg/ffmpeg-runner.js';
import { probeMedia } from '../ffmpeg/probe.js';
import { LocalDiskStorage } from '../storage/local-disk.storage.js';
import { TranscodePipeline, type TranscodeRequest, type TranscodeResult } from './transcode-pipeline.js';

export type { TranscodeLimits } from '../ffmpeg/media-limits.js';
export type { MediaInfo } from '../ffmpeg/media-info.js';
export type { TranscodeResult } from './transcode-pipeline.js';
export { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';

/** The pipeline on plain paths: for integration tests and the benchmark, which have no Nest context. */
export interface TranscodeOptions extends Omit<TranscodeRequest, 'outKey' | 'log'> {
  /** Absolute folder to write into (its parent becomes the storage root). */
  outDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  /** Default: warnings and errors to stdout. */
  logger?: Logger;
}

/** One transcode with a LocalDiskStorage rooted at `outDir`'s parent and the real runner and probe. */
export function transcodeToHls(opts: TranscodeOptions, runner: FfmpegRun = new FfmpegRunner()): Promise<TranscodeResult> {
  const { outDir, ffmpegPath, ffprobePath, logger, ...request } = opts;
  const dir = resolve(outDir);
  const pipeline = new TranscodePipeline({
    storage: new LocalDiskStorage(dirname(dir)),
    runner,
    probe: probeMedia,
    ffmpegPath,
    ffprobePath,
    logger: logger ?? pino({ name: 'transcode-to-hls', level: 'warn' }),
  });
  return pipeline.run({ ...request, outKey: basename(dir) });
}
