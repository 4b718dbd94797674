import type { StagingArea } from './media.store.js';

/**
 * The storage layout, as keys (see MediaStore):
 *   .incoming/<random>        multipart uploads while they arrive
 *   .tus/<uploadId>[.json]    resumable uploads while they arrive (tus FileStore: data + info file)
 *   <mediaId>/source          the upload, under a server-generated name
 *   <mediaId>/hls/...         renditions, master.m3u8, poster and storyboard, written by the transcoder
 *   <mediaId>/subtitles/<id>.vtt  subtitle tracks (uploaded, or extracted by the transcoder): outside hls/,
 *                             which a new transcode attempt empties
 */
export const mediaKeys = {
  folder: (mediaId: string) => `${mediaId}/`,
  source: (mediaId: string) => `${mediaId}/source`,
  hls: (mediaId: string, ...segments: string[]) => [mediaId, 'hls', ...segments].join('/'),
  subtitle: (mediaId: string, subtitleId: string) => `${mediaId}/subtitles/${subtitleId}.vtt`,
  stagingFolder: (area: StagingArea) => `.${area}/`,
  staged: (area: StagingArea, name: string) => `.${area}/${name}`,
};

/**
 * A key is relative, '/'-separated, and every segment is a plain name: not empty, not `.` or `..`, no
 * backslash or NUL. Implementations refuse anything else, so no caller can reach outside the store.
 */
export function isValidKey(key: string): boolean {
  if (key.length === 0 || key.length > 1024) return false;
  return key.split('/').every((s) => s.length > 0 && s !== '.' && s !== '..' && !/[\\\0]/.test(s));
}

/** A folder prefix: a valid key followed by `/`. */
export function isValidPrefix(prefix: string): boolean {
  return prefix.endsWith('/') && isValidKey(prefix.slice(0, -1));
}
