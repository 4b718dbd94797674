import { isAbsolute, posix, relative, sep } from 'node:path';
import { AAC_LC_CODECS, videoCodecsFromInit } from './avcc.js';
import type { Bandwidth, SegmentSize } from './master-playlist.js';

/** Names inside one rung's folder: <rung>/index.m3u8 (MEDIA_PLAYLIST_NAME, contracts), <rung>/init.mp4, <rung>/seg_00000.m4s ... */
export const INIT_NAME = 'init.mp4';
/**
 * Where the single pass's ffmpeg writes a rung's EVENT playlist: next to the served one, which only
 * HlsPublisher.servePlaylists writes (ffmpeg's target duration changes while it encodes; the served one
 * must not). `.part`: MediaStorage.publishLocal never uploads it, like any file still being written.
 */
export const FFMPEG_PLAYLIST_NAME = 'ffmpeg.m3u8.part';

export interface RungOutput {
  codecs: string;
  segments: SegmentSize[];
  /** Video rungs: the rate of the I-frame playlist written next to the media playlist. */
  iframes?: Bandwidth;
}

/**
 * `video`: a video variant (with the shared audio rendition, if any, named in the master); `audio`: the one
 * variant of audio-only media; `audio-rendition`: the shared audio of a video ladder (EXT-X-MEDIA, not a
 * variant of its own); `video+audio`: a variant with its own muxed audio (not written any more; read for
 * streams encoded before issue 11).
 */
export type RungKind = 'video+audio' | 'video' | 'audio' | 'audio-rendition';

const isAudioOnly = (kind: RungKind): boolean => kind === 'audio' || kind === 'audio-rendition';

/** Rungs with pictures get an I-frame playlist. */
export const hasVideo = (kind: RungKind): boolean => !isAudioOnly(kind);

/** Whether CODECS needs the rung's init segment (video rungs: the H.264 string is in its avcC). */
export const needsInitForCodecs = (kind: RungKind): boolean => !isAudioOnly(kind);

/** CODECS of a rung's own tracks: the H.264 string is read from its init segment's avcC, AAC-LC is all we write. */
export function rungCodecsFrom(kind: RungKind, init: Buffer | undefined): string {
  if (isAudioOnly(kind)) return AAC_LC_CODECS;
  if (!init) throw new Error('a video rung needs its init segment to name its codecs');
  const video = videoCodecsFromInit(init);
  return kind === 'video+audio' ? `${video},${AAC_LC_CODECS}` : video;
}

/**
 * A URI from a rung's playlist as a storage key inside that rung: relative (`seg_00001.m4s`,
 * `../high/init.mp4` from ffmpeg's %v init naming), or absolute / `file:` pointing inside the rung's local
 * folder (PeerTube's fixHLSPlaylistIfNeeded saw ffmpeg write those). Anything that leaves the rung is
 * refused: a playlist is never allowed to make us read or rename another file.
 */
export function playlistUriToKey(rungKey: string, rungLocalDir: string, uri: string): string {
  const path = uri.startsWith('file:') ? uri.slice('file:'.length) : uri;
  let key: string;
  if (isAbsolute(path)) {
    const rel = relative(rungLocalDir, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`unexpected URI in playlist: ${uri}`);
    key = `${rungKey}/${rel.split(sep).join('/')}`;
  } else {
    key = posix.normalize(`${rungKey}/${path}`);
  }
  if (!key.startsWith(`${rungKey}/`) || key.endsWith('/')) throw new Error(`unexpected URI in playlist: ${uri}`);
  return key;
}
