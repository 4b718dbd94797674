import type { ImportResult, MediaImporter, MediaLinkResolver, TransferOptions } from '@reelroom/fetch';
import type { MediaStorage } from '../storage/media-storage.js';
import { IMPORT_SENTENCES, ImportRejectedError } from './import-rejected.error.js';
import { NotMediaError, SniffGate, type AcceptedKind } from './sniff-gate.js';

export interface LinkImportResult extends ImportResult {
  sniffed: AcceptedKind;
  /** The page link was resolved by yt-dlp first. */
  resolved: boolean;
}

/**
 * Fetches what a link points at into `key` of the media storage, and accepts it only if its bytes are
 * media an upload would be accepted as (the same sniffer, run on the first bytes as they arrive by
 * SniffGate, so a refusal costs half a kilobyte of download). A web page is refused, unless a page resolver
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
    if (first.result) return { ...first.result, sniffed: first.sniffed, resolved: false };
    if (!(first.html && this.pageResolver)) throw new ImportRejectedError(first.html ? IMPORT_SENTENCES.webPage : first.reason);
    const [media] = await this.pageResolver.resolve(link, options.signal);
    if (!media) throw new ImportRejectedError(IMPORT_SENTENCES.ytdlpFailed);
    const second = await this.fetchInto(media.url, media.kind ?? 'auto', key, options);
    if (!second.result) throw new ImportRejectedError(second.html ? IMPORT_SENTENCES.webPage : second.reason);
    return { ...second.result, sniffed: second.sniffed, resolved: true };
  }

  private async fetchInto(
    url: string,
    kind: 'auto' | 'file' | 'hls',
    key: string,
    options: TransferOptions,
  ): Promise<
    | { result: ImportResult; sniffed: AcceptedKind; html: false; reason: '' }
    | { result: null; sniffed: null; html: boolean; reason: string }
  > {
    const upload = await this.storage.openWrite(key);
    const gate = new SniffGate(upload.stream);
    let committed = false;
    try {
      const result = await this.importer.import({ url, kind }, gate, options);
      await upload.commit();
      committed = true;
      return { result, sniffed: gate.accepted!, html: false, reason: '' };
    } catch (err) {
      if (!(err instanceof NotMediaError)) throw err;
      return { result: null, sniffed: null, html: err.html, reason: err.empty ? IMPORT_SENTENCES.empty : IMPORT_SENTENCES.unknown };
    } finally {
      if (!committed) {
        gate.destroy();
        await upload.discard();
      }
    }
  }
}
