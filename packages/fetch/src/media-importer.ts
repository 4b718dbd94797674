import type { Writable } from 'node:stream';
import { DEFAULT_HLS_LIMITS, type HlsLimits } from './hls/hls-limits.js';
import { looksLikePlaylist, PLAYLIST_SNIFF_BYTES } from './hls/hls-detect.js';
import { importHls, type HlsImportSummary } from './hls/hls-import.js';
import type { SafeFetcher } from './safe-fetcher.js';
import type { TransferOptions } from './transfer/fetch-session.js';

/**
 * A direct link to media. `kind` says what it is when the giver knows ('file' or 'hls'); 'auto' (the
 * default) decides from the response: a playlist content type or a body starting with #EXTM3U is HLS.
 */
export interface MediaLink {
  url: string;
  kind?: 'auto' | 'file' | 'hls';
}

/**
 * The step before fetching, for links that are pages rather than media (a video site through yt-dlp,
 * later): it turns what the person pasted into direct media links, which then go through the importer
 * and its policy like any other link. A resolver that returns several links (separate video and audio)
 * leaves the caller to import each into its own sink, passing what is left of the byte budget.
 */
export interface MediaLinkResolver {
  resolve(link: string, signal?: AbortSignal): Promise<MediaLink[]>;
}

/** The resolver for plain media links: the link itself. */
export const directLinkResolver: MediaLinkResolver = {
  resolve: (link) => Promise.resolve([{ url: link, kind: 'auto' }]),
};

export interface ImportResult {
  kind: 'file' | 'hls';
  /** The URL that answered (the playlist's for HLS), after redirects. */
  url: string;
  contentType: string | null;
  /** Bytes written to the sink (for HLS, the sum of the init segment and all segments). */
  bytes: number;
  /** The first bytes written (up to 4 KiB), for the caller's sniffer: it must refuse an HTML page. */
  head: Buffer;
  hls?: HlsImportSummary;
}

/**
 * Imports one media link into a sink: a file is streamed as it is; an HLS playlist becomes the
 * concatenation of its segments. One session per call, so the byte budget, the total timeout, cancel and
 * progress cover every request the import makes. The sink is ended on success, left open on failure.
 */
export class MediaImporter {
  private readonly limits: HlsLimits;

  constructor(
    private readonly fetcher: SafeFetcher,
    limits: Partial<HlsLimits> = {},
  ) {
    this.limits = { ...DEFAULT_HLS_LIMITS, ...limits };
  }

  async import(link: MediaLink, sink: Writable, options: TransferOptions): Promise<ImportResult> {
    const session = this.fetcher.session(options);
    try {
      const res = await session.open(link.url);
      const kind = link.kind ?? 'auto';
      const isHls = kind === 'hls' || (kind === 'auto' && looksLikePlaylist(res.contentType, await res.peek(PLAYLIST_SNIFF_BYTES)));
      if (isHls) {
        const hls = await importHls(session, res, sink, this.limits);
        await session.finish(sink);
        return { kind: 'hls', url: res.url.href, contentType: res.contentType, bytes: session.budget.bytes, head: session.head, hls };
      }
      session.expectTotal(res.contentLength);
      await session.copyTo(res, sink);
      await session.finish(sink);
      return { kind: 'file', url: res.url.href, contentType: res.contentType, bytes: session.budget.bytes, head: session.head };
    } finally {
      session.close();
    }
  }
}
