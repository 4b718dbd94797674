/**
 * Moved to ../pipeline/transcode-to-hls.ts (the pipeline does file I/O, which ffmpeg/ does not). This
 * re-export keeps test/integration and bench/transcode.mjs working until they import the new path;
 * then delete it.
 */
export { MediaRejectedError, transcodeToHls, type MediaInfo, type TranscodeLimits, type TranscodeOptions, type TranscodeResult } from '../pipeline/transcode-to-hls.js';
