import type { Writable } from 'node:stream';
import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';
import type { FetchSession } from '../transfer/fetch-session.js';
import type { OpenedResponse } from '../transfer/opened-response.js';
import type { HlsLimits } from './hls-limits.js';
import { assertImportableMedia } from './hls-media-rules.js';
import { parsePlaylist, type HlsMediaPlaylist, type HlsPlaylist, type HlsVariant } from './hls-playlist.parser.js';
import { estimateBytes, hasMuxedAudio, rankVariants } from './hls-variants.js';

export interface HlsImportSummary {
  /** The playlist the link pointed at (master or media), after redirects. */
  playlistUrl: string;
  /** The media playlist whose segments were written. */
  mediaPlaylistUrl: string;
  /** The chosen variant, when the link was a master playlist. */
  variant: { bandwidth: number; width: number | null; height: number | null; codecs: string | null } | null;
  segmentCount: number;
  initSegment: boolean;
  /** The chosen variant's sound is in separate renditions, which were not imported. */
  audioRenditionSkipped: boolean;
  durationSec: number;
}

async function readPlaylist(session: FetchSession, res: OpenedResponse, limits: HlsLimits): Promise<HlsPlaylist> {
  const text = await session.readText(
    res,
    limits.maxPlaylistBytes,
    () => new FetchError('hls-playlist-too-large', FETCH_MESSAGES.hlsPlaylistTooLarge(limits.maxPlaylistBytes), res.url.href),
  );
  return parsePlaylist(text, res.url, limits);
}

async function copyPart(session: FetchSession, uri: string, sink: Writable): Promise<void> {
  const res = await session.open(uri);
  await session.copyTo(res, sink);
}

/**
 * Imports an HLS stream as one file: reads the playlist (`first`, already opened), picks a variant when
 * it is a master playlist, then writes the init segment (if any) and every segment, in order, into the
 * sink. Every playlist, init and segment URL is opened through the session, so each passes the same
 * policy and counts towards the same byte budget and total timeout. The result is a plain MPEG-TS or
 * fMP4 file that goes through the same sniffing and ffprobe limits as an upload; ffmpeg never sees a URL.
 */
export async function importHls(
  session: FetchSession,
  first: OpenedResponse,
  sink: Writable,
  limits: HlsLimits,
): Promise<HlsImportSummary> {
  const top = await readPlaylist(session, first, limits);
  let media: HlsMediaPlaylist;
  let mediaPlaylistUrl = first.url.href;
  let variant: HlsVariant | null = null;
  let audioRenditionSkipped = false;

  if (top.kind === 'master') {
    if (top.encryption) throw new FetchError('hls-encrypted', FETCH_MESSAGES.hlsEncrypted, `SESSION-KEY METHOD=${top.encryption}`);
    const ranked = rankVariants(top.variants, top.renditions, limits);
    if (ranked.length === 0) throw new FetchError('hls-no-suitable-variant', FETCH_MESSAGES.hlsNoSuitableVariant);
    let chosen: { variant: HlsVariant; media: HlsMediaPlaylist; url: string } | null = null;
    // The best variant whose expected size fits what is left of the budget; the last one otherwise, and
    // the byte count decides. Each try costs one playlist fetch, bounded by maxVariants.
    for (const [i, candidate] of ranked.entries()) {
      const res = await session.open(candidate.uri);
      const list = await readPlaylist(session, res, limits);
      if (list.kind !== 'media')
        throw new FetchError('hls-invalid', FETCH_MESSAGES.hlsInvalid, `variant ${res.url.href} is a master playlist`);
      assertImportableMedia(list);
      if (estimateBytes(candidate, list.durationSec) <= session.budget.remaining || i === ranked.length - 1) {
        chosen = { variant: candidate, media: list, url: res.url.href };
        break;
      }
    }
    ({ variant, media, url: mediaPlaylistUrl } = chosen!);
    audioRenditionSkipped = !hasMuxedAudio(variant, top.renditions);
  } else {
    media = top;
  }

  assertImportableMedia(media);
  const init = media.segments[0].map;
  session.expectSegments(media.segments.length + (init ? 1 : 0));
  if (init) await copyPart(session, init, sink);
  for (const segment of media.segments) await copyPart(session, segment.uri, sink);

  return {
    playlistUrl: first.url.href,
    mediaPlaylistUrl,
    variant: variant && { bandwidth: variant.bandwidth, width: variant.width, height: variant.height, codecs: variant.codecs },
    segmentCount: media.segments.length,
    initSegment: init !== null,
    audioRenditionSkipped,
    durationSec: media.durationSec,
  };
}
