import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImportResult, MediaImporter, MediaLink, MediaLinkResolver, TransferOptions } from '@reelroom/fetch';
import { MemoryStorage } from '../storage/memory.storage.js';
import { IMPORT_SENTENCES, ImportRejectedError } from './import-rejected.error.js';
import { LinkImporter } from './link-importer.js';

const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(40)]);
const HTML = Buffer.from('<!DOCTYPE html>\n<html><body>a page</body></html>');
const KEY = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11/source';

/** Serves fixed bodies by URL, writing them into the sink the way MediaImporter does (ended on success). */
class FakeImporter implements Pick<MediaImporter, 'import'> {
  readonly asked: MediaLink[] = [];
  constructor(private readonly bodies: Record<string, Buffer>) {}
  async import(link: MediaLink, sink: Writable, _options: TransferOptions): Promise<ImportResult> {
    this.asked.push(link);
    const body = this.bodies[link.url];
    await new Promise<void>((resolve, reject) => sink.end(body, () => resolve()).once('error', reject));
    return { kind: 'file', url: link.url, contentType: null, bytes: body.length, head: body.subarray(0, 4096) };
  }
}

class FakePages implements MediaLinkResolver {
  readonly asked: string[] = [];
  constructor(private readonly found: MediaLink[]) {}
  async resolve(link: string): Promise<MediaLink[]> {
    this.asked.push(link);
    return this.found;
  }
}

const options: TransferOptions = { maxBytes: 1000 };

describe(LinkImporter.name, () => {
  it('keeps bytes that sniff as media under the key', async () => {
    const storage = new MemoryStorage();
    const r = await new LinkImporter(new FakeImporter({ 'https://a/x.mp4': MP4 }), storage, null).import('https://a/x.mp4', KEY, options);
    expect(r).toMatchObject({ bytes: MP4.length, resolved: false, sniffed: { kind: 'video', container: 'mp4' } });
    expect(storage.files.get(KEY)).toEqual(MP4);
  });

  it('refuses a web page with a sentence and keeps nothing when no page resolver is on', async () => {
    const storage = new MemoryStorage();
    const sut = new LinkImporter(new FakeImporter({ 'https://a/page': HTML }), storage, null);
    await expect(sut.import('https://a/page', KEY, options)).rejects.toThrow(new ImportRejectedError(IMPORT_SENTENCES.webPage));
    expect(storage.files.has(KEY)).toBe(false);
  });

  it('refuses bytes that are neither media nor a page as unrecognised', async () => {
    const storage = new MemoryStorage();
    const sut = new LinkImporter(new FakeImporter({ 'https://a/x.bin': Buffer.from('PK\u0003\u0004zip') }), storage, null);
    await expect(sut.import('https://a/x.bin', KEY, options)).rejects.toThrow(IMPORT_SENTENCES.unknown);
    expect(storage.files.has(KEY)).toBe(false);
  });

  it('asks the page resolver (yt-dlp) for a page and fetches what it found through the same importer', async () => {
    const storage = new MemoryStorage();
    const importer = new FakeImporter({ 'https://site/watch?v=1': HTML, 'https://cdn.site/v.mp4': MP4 });
    const pages = new FakePages([{ url: 'https://cdn.site/v.mp4', kind: 'file' }]);
    const r = await new LinkImporter(importer, storage, pages).import('https://site/watch?v=1', KEY, options);
    expect(r).toMatchObject({ resolved: true, url: 'https://cdn.site/v.mp4' });
    expect(pages.asked).toEqual(['https://site/watch?v=1']);
    expect(importer.asked.map((l) => l.url)).toEqual(['https://site/watch?v=1', 'https://cdn.site/v.mp4']);
    expect(storage.files.get(KEY)).toEqual(MP4);
  });
});
