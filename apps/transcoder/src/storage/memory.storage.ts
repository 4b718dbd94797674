import { Writable } from 'node:stream';
import { assertKey, assertWorkspaceName, type MediaStorage, type StorageUpload } from './media-storage.js';

/**
 * MediaStorage in memory, for unit specs of the steps: nothing touches the disk, and a faked ffmpeg
 * "writes" a local path with `putLocal`. Every write is recorded in `writes`, in order.
 */
export class MemoryStorage implements MediaStorage {
  readonly files = new Map<string, Buffer>();
  readonly writes: string[] = [];
  readonly deletedPrefixes: string[] = [];
  /** Keys passed to publishLocal, in order. */
  readonly published: string[] = [];

  constructor(private readonly localRoot = '/memory') {}

  localPath(key: string): string {
    assertKey(key);
    return `${this.localRoot}/${key}`;
  }

  /** The key behind a path from localPath (what a faked ffmpeg was told to write). */
  keyOf(localPath: string): string {
    if (!localPath.startsWith(`${this.localRoot}/`)) throw new Error(`not a path of this storage: ${localPath}`);
    const key = localPath.slice(this.localRoot.length + 1);
    assertKey(key);
    return key;
  }

  /** What an ffmpeg writing to `localPath` leaves behind. */
  putLocal(localPath: string, data: string | Uint8Array): void {
    this.files.set(this.keyOf(localPath), Buffer.from(data));
  }

  async prepareLocal(prefix: string): Promise<void> {
    assertKey(prefix);
  }

  async publishLocal(key: string): Promise<void> {
    assertKey(key);
    this.published.push(key);
  }

  /** Local files are the stored ones here, as on local disk. */
  async readLocalText(key: string): Promise<string | undefined> {
    assertKey(key);
    return this.files.get(key)?.toString('utf8');
  }

  async writeLocalText(key: string, text: string): Promise<void> {
    assertKey(key);
    this.files.set(key, Buffer.from(text));
  }

  async fetchLocal(key: string): Promise<string> {
    return this.localPath(key);
  }

  async inputFor(key: string): Promise<string> {
    await this.read(key);
    return this.localPath(key);
  }

  async releaseLocal(prefix: string): Promise<void> {
    assertKey(prefix);
  }

  /** One map: a faked ffmpeg's files are the stored ones, as on local disk. */
  workspace(name: string): MediaStorage {
    assertWorkspaceName(name);
    return this;
  }

  async readHead(key: string, bytes: number): Promise<Buffer> {
    return (await this.read(key)).subarray(0, bytes);
  }

  async read(key: string): Promise<Buffer> {
    assertKey(key);
    const data = this.files.get(key);
    if (!data) throw Object.assign(new Error(`ENOENT: ${key}`), { code: 'ENOENT' });
    return data;
  }

  async readText(key: string): Promise<string> {
    return (await this.read(key)).toString('utf8');
  }

  async size(key: string): Promise<number | undefined> {
    assertKey(key);
    return this.files.get(key)?.length;
  }

  async write(key: string, data: string | Uint8Array): Promise<void> {
    assertKey(key);
    this.files.set(key, Buffer.from(data));
    this.writes.push(key);
  }

  async openWrite(key: string): Promise<StorageUpload> {
    assertKey(key);
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    return {
      stream,
      commit: async () => {
        this.files.set(key, Buffer.concat(chunks));
        this.writes.push(key);
      },
      discard: async () => {
        stream.destroy();
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    const data = await this.read(from);
    assertKey(to);
    this.files.delete(from);
    this.files.set(to, data);
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    this.files.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    assertKey(prefix);
    return [...this.files.keys()].filter((k) => k.startsWith(`${prefix}/`)).sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertKey(prefix);
    this.deletedPrefixes.push(prefix);
    for (const key of [...this.files.keys()]) if (key === prefix || key.startsWith(`${prefix}/`)) this.files.delete(key);
  }
}
