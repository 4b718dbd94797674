import { looksLikeHtml, sniff, type SniffResult } from '@reelroom/contracts';
import type { ImportResult, MediaImporter, MediaLinkResolver, TransferOptions } from '@reelroom/fetch';
import type { MediaStorage } from '../storage/media-storage.js';
import { IMPORT_SENTENCES, ImportRejectedError } from './import-rejected.error.js';

export interface LinkImportResult extends ImportResult {
  sniffed: Exclude<SniffResult, { kind: 'empty' | 'unknown' }>;
  /** The page link was resolved by yt-dlp first. */
  resolved: boolean;
}

/**
 * Fetches what a link points at into `key` of the media storage, and accepts it only if its bytes are
 * media an upload would be accepted as (the same sniffer). A web page is refused, unless a page resolver
 * (yt-dlp, when the operator enabled it) finds a media link on it: that link is fetched by the same
 * importer under the same policy. Nothing is left under `key` unless it is accepted.
 */
export class LinkImporter {
  constructor(
    private readonly importer: Pick<MediaImporter, 'import'>,
    private readonly storage: Pick<MediaStorage, 'openWrite'>,
    private readonly pageResolver: MediaLinkResolver | null,
  ) {}

  async import(link: string, key: string, options: TransferOptions): Promise<LinkImportResult> {
    const first = await this.fetchInto(link, 'auto', key, options);
    if (first.sniffed) return { ...first.result, sniffed: first.sniffed, resolved: false };
    if (!(first.html && this.pageResolver)) throw new ImportRejectedError(first.html ? IMPORT_SENTENCES.webPage : first.reason);
    const [media] = await this.pageResolver.resolve(link, options.signal);
    if (!media) throw new ImportRejectedError(IMPORT_SENTENCES.ytdlpFailed);
    const second = await this.fetchInto(media.url, media.kind ?? 'auto', key, options);
    if (!second.sniffed) throw new ImportRejectedError(second.html ? IMPORT_SENTENCES.webPage : second.reason);
    return { ...second.result, sniffed: second.sniffed, resolved: true };
  }

  private async fetchInto(
    url: string,
    kind: 'auto' | 'file' | 'hls',
    key: string,
    options: TransferOptions,
  ): Promise<
    | { result: ImportResult; sniffed: LinkImportResult['sniffed']; html: false; reason: '' }
    | { result: ImportResult; sniffed: null; html: boolean; reason: string }
  > {
    const upload = await this.storage.openWrite(key);
    let committed = false;
    try {
      const result = await this.importer.import({ url, kind }, upload.stream, options);
      const sniffed = sniff(result.head);
      if (sniffed.kind === 'empty' || sniffed.kind === 'unknown') {
        const reason = sniffed.kind === 'empty' ? IMPORT_SENTENCES.empty : IMPORT_SENTENCES.unknown;
        return { result, sniffed: null, html: looksLikeHtml(result.head), reason };
      }
      await upload.commit();
      committed = true;
      return { result, sniffed, html: false, reason: '' };
    } finally {
      if (!committed) await upload.discard();
    }
  }
}
