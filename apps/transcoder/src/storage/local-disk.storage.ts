import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { readTextIfExists, writeFileAtomically } from './local-files.js';
import { assertKey, assertWorkspaceName, type MediaStorage, type StorageUpload } from './media-storage.js';

/** MediaStorage on a local (or shared, mounted) directory: MEDIA_ROOT. */
export class LocalDiskStorage implements MediaStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  localPath(key: string): string {
    assertKey(key);
    const path = join(this.root, ...key.split('/'));
    // assertKey already rules out `..`; this is the second lock on the same door.
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key outside the root: ${key}`);
    return path;
  }

  async prepareLocal(prefix: string): Promise<void> {
    await mkdir(this.localPath(prefix), { recursive: true });
  }

  /** ffmpeg wrote the stored file itself: nothing to publish. */
  publishLocal(key: string): Promise<void> {
    assertKey(key);
    return Promise.resolve();
  }

  fetchLocal(key: string): Promise<string> {
    return Promise.resolve(this.localPath(key));
  }

  /** The stored file itself (ENOENT when there is none, as on S3). */
  async inputFor(key: string): Promise<string> {
    const path = this.localPath(key);
    await stat(path);
    return path;
  }

  /** There is no scratch copy: the local files are the stored ones. */
  releaseLocal(prefix: string): Promise<void> {
    assertKey(prefix);
    return Promise.resolve();
  }

  /** The local files are the stored ones: every job shares them. */
  workspace(name: string): MediaStorage {
    assertWorkspaceName(name);
    return this;
  }

  read(key: string): Promise<Buffer> {
    return readFile(this.localPath(key));
  }

  async readHead(key: string, bytes: number): Promise<Buffer> {
    const file = await open(this.localPath(key), 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await file.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  readText(key: string): Promise<string> {
    return readFile(this.localPath(key), 'utf8');
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const s = await stat(this.localPath(key));
      return s.isFile() ? s.size : undefined;
    } catch (err) {
      if (isMissing(err) || isNotDirectory(err)) return undefined;
      throw err;
    }
  }

  /** `<path>.tmp` then rename (atomic within one file system); the parent directory is created. */
  write(key: string, data: string | Uint8Array): Promise<void> {
    return writeFileAtomically(this.localPath(key), data);
  }

  /** The local file is the stored one. */
  readLocalText(key: string): Promise<string | undefined> {
    return readTextIfExists(this.localPath(key));
  }

  writeLocalText(key: string, text: string): Promise<void> {
    return this.write(key, text);
  }

  /** `<path>.part`, renamed on commit: a reader never sees a half-fetched source. */
  async openWrite(key: string): Promise<StorageUpload> {
    const path = this.localPath(key);
    const part = `${path}.part`;
    await mkdir(join(path, '..'), { recursive: true });
    const stream = createWriteStream(part, { flags: 'w' });
    // Always listened to: a write still pending when the caller discards the file (a cancel mid-chunk)
    // fails with ERR_STREAM_DESTROYED, and an 'error' nobody listens to ends the whole process. A real
    // failure (disk full) is kept and makes commit() fail.
    let failure: Error | null = null;
    stream.on('error', (err) => {
      failure ??= err;
    });
    return {
      stream,
      commit: async () => {
        if (failure) throw failure;
        await rename(part, path);
      },
      discard: async () => {
        stream.destroy();
        await rm(part, { force: true });
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    const target = this.localPath(to);
    await mkdir(join(target, '..'), { recursive: true });
    await rename(this.localPath(from), target);
  }

  async delete(key: string): Promise<void> {
    await rm(this.localPath(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.localPath(prefix);
    let entries: string[];
    try {
      entries = await readdir(dir, { recursive: true });
    } catch (err) {
      if (isMissing(err) || isNotDirectory(err)) return [];
      throw err;
    }
    const files: string[] = [];
    for (const entry of entries) {
      // An entry removed between readdir and stat is simply no longer listed.
      const s = await stat(join(dir, entry)).catch((err: unknown) => {
        if (isMissing(err)) return undefined;
        throw err;
      });
      if (s?.isFile()) files.push(`${prefix}/${relative(dir, join(dir, entry)).split(sep).join('/')}`);
    }
    return files.sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    // maxRetries: ffmpeg adding a segment while we delete makes rmdir fail with ENOTEMPTY; try again.
    await rm(this.localPath(prefix), { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
const isNotDirectory = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code === 'ENOTDIR';
