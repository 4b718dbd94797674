import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { isValidKey, isValidPrefix } from './media-keys.js';
import { MediaStore, type ByteRange, type StagingArea, type StoredObject } from './media.store.js';

export class InvalidKeyError extends Error {
  constructor(key: string) {
    super(`not a storage key: ${JSON.stringify(key)}`);
  }
}

/**
 * MediaStore on the local disk under MEDIA_ROOT: the one class that touches it in the API. A key maps
 * to MEDIA_ROOT/<key>. Staging is under MEDIA_ROOT too (same filesystem), so adopting a finished upload
 * is an atomic rename, not a copy.
 *
 * Objects are served only where the real path (symlinks followed) is the path the key names: a symlink
 * planted anywhere in the output, even one pointing inside MEDIA_ROOT (at a source file), reads as missing.
 */
@Injectable()
export class LocalMediaStore extends MediaStore implements OnModuleInit {
  readonly root: string;
  private realRoot: Promise<string> | undefined;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'mediaRoot'>) {
    super();
    this.root = config.mediaRoot;
  }

  /** Creates the staging directories before the first upload can arrive. */
  async onModuleInit(): Promise<void> {
    await Promise.all((['incoming', 'tus'] as const).map((a) => mkdir(this.stagingDirectory(a), { recursive: true })));
  }

  stagingDirectory(area: StagingArea): string {
    return join(this.root, `.${area}`);
  }

  /** The file behind a key (a staged upload that another store copies out). */
  pathOf(key: string): string {
    return this.path(key);
  }

  private path(key: string): string {
    if (!isValidKey(key)) throw new InvalidKeyError(key);
    return join(this.root, ...key.split('/'));
  }

  private folder(prefix: string): string {
    if (!isValidPrefix(prefix)) throw new InvalidKeyError(prefix);
    return this.path(prefix.slice(0, -1));
  }

  async stat(key: string): Promise<StoredObject | null> {
    const path = this.path(key);
    try {
      this.realRoot ??= realpath(this.root);
      const [root, real] = await Promise.all([this.realRoot, realpath(path)]);
      if (real !== join(root, ...key.split('/'))) return null;
      const s = await stat(real);
      return s.isFile() ? { key, size: s.size, modifiedAt: s.mtime } : null;
    } catch {
      return null;
    }
  }

  async readHead(key: string, bytes: number): Promise<Buffer> {
    const fh = await open(this.path(key), 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    if (!(await this.stat(key))) throw Object.assign(new Error(`no object ${key}`), { code: 'ENOENT' });
    const stream = createReadStream(this.path(key), range && { start: range.start, end: range.end });
    // Surface a failed open as a rejection here rather than an 'error' event later.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async write(key: string, body: Readable): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside the target, then renamed over it: a reader never sees half an object.
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const to = this.path(toKey);
    await mkdir(dirname(to), { recursive: true });
    await rename(this.path(fromKey), to);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const dir = this.folder(prefix);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const out: StoredObject[] = [];
    for (const e of entries) {
      if (!e.isFile()) continue;
      const s = await stat(join(dir, e.name)).catch(() => null);
      if (s) out.push({ key: `${prefix}${e.name}`, size: s.size, modifiedAt: s.mtime });
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    // maxRetries: a writer adding files while we delete makes rmdir fail with ENOTEMPTY; try again.
    await rm(this.folder(prefix), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
