import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { isValidKey, isValidPrefix } from '../storage/media-keys.js';
import type { ByteRange, MediaStore, StagingArea, StoredObject } from '../storage/media.store.js';

/** MediaStore in memory: objects are buffers with a modification time; keys are checked like the real store. */
export class MemoryMediaStore implements MediaStore {
  readonly objects = new Map<string, { body: Buffer; modifiedAt: Date }>();

  private check(key: string): string {
    if (!isValidKey(key)) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
    return key;
  }

  /** Test set-up: an object with this content and time. */
  put(key: string, body: string | Buffer, modifiedAt = new Date()): void {
    this.objects.set(this.check(key), { body: Buffer.from(body), modifiedAt });
  }

  stagingDirectory(area: StagingArea): string {
    return `/memory/.${area}`;
  }

  async stat(key: string): Promise<StoredObject | null> {
    const o = this.objects.get(this.check(key));
    return o ? { key, size: o.body.length, modifiedAt: o.modifiedAt } : null;
  }

  async readHead(key: string, bytes: number): Promise<Buffer> {
    const o = this.objects.get(this.check(key));
    if (!o) throw new Error(`ENOENT ${key}`);
    return o.body.subarray(0, bytes);
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const o = this.objects.get(this.check(key));
    if (!o) throw new Error(`ENOENT ${key}`);
    return Readable.from([range ? o.body.subarray(range.start, range.end + 1) : o.body]);
  }

  async write(key: string, body: Readable): Promise<void> {
    this.objects.set(this.check(key), { body: await buffer(body), modifiedAt: new Date() });
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const o = this.objects.get(this.check(fromKey));
    if (!o) throw new Error(`ENOENT ${fromKey}`);
    this.objects.delete(fromKey);
    this.objects.set(this.check(toKey), o);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    if (!isValidPrefix(prefix)) throw new Error(`not a storage key: ${JSON.stringify(prefix)}`);
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
      .map(([key, o]) => ({ key, size: o.body.length, modifiedAt: o.modifiedAt }));
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(this.check(key));
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (!isValidPrefix(prefix)) throw new Error(`not a storage key: ${JSON.stringify(prefix)}`);
    for (const k of [...this.objects.keys()]) if (k.startsWith(prefix)) this.objects.delete(k);
  }
}
