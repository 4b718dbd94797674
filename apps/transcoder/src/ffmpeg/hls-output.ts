import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { AAC_LC_CODECS, videoCodecsFromInit } from './avcc.js';
import type { SegmentSize } from './master-playlist.js';
import { parseMediaPlaylist, toVodPlaylist } from './media-playlist.js';

export const INIT_NAME = 'init.mp4';
export const MEDIA_PLAYLIST_NAME = 'index.m3u8';

export interface RungOutput {
  codecs: string;
  segments: SegmentSize[];
}

export type RungKind = 'video+audio' | 'video' | 'audio';

/** CODECS for a rung from its init segment: the H.264 string is read from avcC, AAC-LC is all we write. */
export async function rungCodecs(rungDir: string, kind: RungKind): Promise<string> {
  if (kind === 'audio') return AAC_LC_CODECS;
  const video = videoCodecsFromInit(await readFile(join(rungDir, INIT_NAME)));
  return kind === 'video+audio' ? `${video},${AAC_LC_CODECS}` : video;
}

/**
 * While ffmpeg runs: true once the rung's playlist lists a segment and its init segment exists (ffmpeg
 * renames a segment into place before it lists it, with -hls_flags temp_file). Missing files mean "not yet".
 */
export async function rungHasFirstSegment(rungDir: string): Promise<boolean> {
  try {
    const playlist = parseMediaPlaylist(await readFile(join(rungDir, MEDIA_PLAYLIST_NAME), 'utf8'));
    if (playlist.segments.length === 0 || !playlist.mapUri) return false;
    await stat(resolveInside(rungDir, playlist.mapUri));
    await stat(resolveInside(rungDir, playlist.segments[0]!.uri));
    return true;
  } catch {
    return false;
  }
}

/**
 * After ffmpeg: rewrites the rung's EVENT playlist as VOD with ENDLIST and `EXT-X-MAP:URI="init.mp4"`
 * (written to a temp file and renamed, so a player polling it never reads half a file), then measures
 * the segments and reads CODECS. The init segment already has its final name (see initFilenameFor in
 * hls-command.ts); an `init_<n>.mp4` from another ffmpeg version, or an absolute EXT-X-MAP URI
 * (PeerTube's fixHLSPlaylistIfNeeded), is still moved into place.
 */
export async function finaliseRung(rungDir: string, kind: RungKind): Promise<RungOutput> {
  const playlistPath = join(rungDir, MEDIA_PLAYLIST_NAME);
  const text = await readFile(playlistPath, 'utf8');
  const playlist = parseMediaPlaylist(text);
  if (!playlist.mapUri) throw new Error(`${playlistPath} has no EXT-X-MAP`);
  if (playlist.segments.length === 0) throw new Error(`${playlistPath} has no segments`);
  const currentInit = resolveInside(rungDir, playlist.mapUri);
  if (currentInit !== join(resolve(rungDir), INIT_NAME)) await rename(currentInit, join(rungDir, INIT_NAME));
  await writeFileAtomic(playlistPath, toVodPlaylist(text, INIT_NAME));
  const segments: SegmentSize[] = [];
  for (const seg of playlist.segments) {
    const { size } = await stat(resolveInside(rungDir, seg.uri));
    segments.push({ durationSec: seg.durationSec, bytes: size });
  }
  return { codecs: await rungCodecs(rungDir, kind), segments };
}

/** Write to `<path>.tmp` and rename: readers see the old or the new file, never a partial one. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** A playlist URI as a path inside `dir` (relative, or absolute/file: pointing inside it); refuses others. */
function resolveInside(dir: string, uri: string): string {
  const path = uri.startsWith('file:') ? uri.slice('file:'.length) : uri;
  const full = resolve(dir, path);
  if (!full.startsWith(resolve(dir) + sep) || basename(full) === '') throw new Error(`unexpected URI in playlist: ${uri}`);
  return full;
}
