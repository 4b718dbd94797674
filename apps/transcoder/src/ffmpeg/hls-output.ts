import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { AAC_LC_CODECS, videoCodecsFromInit } from './avcc.js';
import type { SegmentSize } from './master-playlist.js';
import { parseMediaPlaylist, replaceMapUri } from './media-playlist.js';

export const INIT_NAME = 'init.mp4';
export const MEDIA_PLAYLIST_NAME = 'index.m3u8';

export interface RungOutput {
  codecs: string;
  segments: SegmentSize[];
}

/**
 * After ffmpeg: gives the rung's init segment its fixed name, then measures segments and reads CODECS.
 * ffmpeg 5.1 with -var_stream_map writes `init_<variant index>.mp4` whatever -hls_fmp4_init_filename says
 * (hlsenc.c appends the index unless the name contains %v; checked by hand), and some versions wrote an
 * absolute EXT-X-MAP URI (PeerTube's fixHLSPlaylistIfNeeded). Either way we end with URI="init.mp4".
 */
export async function finaliseRung(rungDir: string, withAudio: boolean): Promise<RungOutput> {
  const playlistPath = join(rungDir, MEDIA_PLAYLIST_NAME);
  let text = await readFile(playlistPath, 'utf8');
  const playlist = parseMediaPlaylist(text);
  if (!playlist.mapUri) throw new Error(`${playlistPath} has no EXT-X-MAP`);
  if (playlist.mapUri !== INIT_NAME) {
    const current = resolveInside(rungDir, playlist.mapUri);
    await rename(current, join(rungDir, INIT_NAME));
    text = replaceMapUri(text, INIT_NAME);
    await writeFile(playlistPath, text);
  }
  if (playlist.segments.length === 0) throw new Error(`${playlistPath} has no segments`);
  const segments: SegmentSize[] = [];
  for (const seg of playlist.segments) {
    const { size } = await stat(resolveInside(rungDir, seg.uri));
    segments.push({ durationSec: seg.durationSec, bytes: size });
  }
  const video = videoCodecsFromInit(await readFile(join(rungDir, INIT_NAME)));
  return { codecs: withAudio ? `${video},${AAC_LC_CODECS}` : video, segments };
}

/** A playlist URI as a path inside `dir` (relative, or absolute/file: pointing inside it); refuses others. */
function resolveInside(dir: string, uri: string): string {
  const path = uri.startsWith('file:') ? uri.slice('file:'.length) : uri;
  const full = resolve(dir, path);
  if (!full.startsWith(resolve(dir) + sep) || basename(full) === '') throw new Error(`unexpected URI in playlist: ${uri}`);
  return full;
}
