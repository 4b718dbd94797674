import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { readWhole } from '@reelroom/s3';
import { isS3NotFound } from '@reelroom/s3/client';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { readTextIfExists, writeFileAtomically } from './local-files.js';
import { assertKey, assertWorkspaceName, type MediaStorage, type StorageUpload } from './media-storage.js';

/** Scratch folder of the workspaces (MediaStorage.workspace). */
const WORKSPACES_DIR = '.workspaces';

/** The longest a SigV4 presigned URL may be valid. */
const MAX_PRESIGN_SEC = 7 * 24 * 3600;

/** Uploads at once while publishing a folder: segments are small, latency dominates. */
const PUBLISH_PARALLEL = 4;

/**
 * MediaStorage on an S3-compatible bucket (STORAGE=s3): a transcoder on any host, no shared volume.
 *
 * ffmpeg works on a scratch directory on this machine (`scratch`, under MEDIA_ROOT): it reads a source
 * that `fetchLocal` downloaded there, and writes its output there; `publishLocal` uploads that output as it
 * is produced (the pipeline calls it while ffmpeg runs, so a stream plays while it is encoded), and
 * `releaseLocal` removes the scratch files when the job ends. Every other read and write is an S3 request.
 */
export class S3Storage implements MediaStorage {
  private readonly scratch: string;
  /** What publishLocal last uploaded per local file (size:mtime, or a playlist's text): skip unchanged files. */
  private readonly published = new Map<string, string>();
  /** One publishLocal at a time per key: two overlapping walks could upload an older playlist last. */
  private readonly publishing = new Map<string, Promise<void>>();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    scratch: string,
    /** Set on a workspace: its own scratch folder, removed with its last files. */
    private readonly isWorkspace = false,
  ) {
    this.scratch = resolve(scratch);
  }

  /**
   * `<scratch>/.workspaces/<name>`: beside the media folders (a media id never starts with a dot), and not
   * under one, so the parent job releasing `<mediaId>` while it waits leaves its chunks' files alone.
   */
  workspace(name: string): MediaStorage {
    assertWorkspaceName(name);
    return new S3Storage(this.client, this.bucket, join(this.scratch, WORKSPACES_DIR, name), true);
  }

  localPath(key: string): string {
    assertKey(key);
    const path = join(this.scratch, ...key.split('/'));
    if (!path.startsWith(this.scratch + sep)) throw new Error(`storage key outside the scratch root: ${key}`);
    return path;
  }

  async prepareLocal(prefix: string): Promise<void> {
    await mkdir(this.localPath(prefix), { recursive: true });
  }

  publishLocal(key: string): Promise<void> {
    const previous = this.publishing.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.publishOnce(key));
    this.publishing.set(key, next);
    return next.finally(() => {
      if (this.publishing.get(key) === next) this.publishing.delete(key);
    });
  }

  private async publishOnce(key: string): Promise<void> {
    const root = this.localPath(key);
    const keyOf = (path: string) => (path === root ? key : `${key}/${relative(root, path).split(sep).join('/')}`);
    // Playlists are read first, the media files listed after: whatever a playlist lists was renamed into
    // place before it was listed (ffmpeg's temp_file), so it is in the second listing and is uploaded
    // before the playlist.
    const playlists: Array<{ path: string; text: string }> = [];
    for (const f of await localFiles(root)) {
      if (!f.path.endsWith('.m3u8')) continue;
      const text = await readFile(f.path, 'utf8').catch(() => undefined);
      if (text !== undefined && this.published.get(f.path) !== text) playlists.push({ path: f.path, text });
    }
    const media = (await localFiles(root)).filter((f) => !f.path.endsWith('.m3u8') && this.published.get(f.path) !== f.signature);
    await inParallel(media, PUBLISH_PARALLEL, async (f) => {
      await this.upload(keyOf(f.path), createReadStream(f.path));
      this.published.set(f.path, f.signature);
    });
    for (const p of playlists) {
      await this.put(keyOf(p.path), p.text);
      this.published.set(p.path, p.text);
    }
  }

  readLocalText(key: string): Promise<string | undefined> {
    return readTextIfExists(this.localPath(key));
  }

  /** `.tmp` while written: publishLocal skips it until the rename. */
  writeLocalText(key: string, text: string): Promise<void> {
    return writeFileAtomically(this.localPath(key), text);
  }

  async fetchLocal(key: string): Promise<string> {
    const path = this.localPath(key);
    const stored = await this.size(key);
    if (stored === undefined) throw Object.assign(new Error(`ENOENT: no object ${key}`), { code: 'ENOENT' });
    const local = await stat(path).catch(() => undefined);
    if (local?.isFile() && local.size === stored) return path;
    await mkdir(join(path, '..'), { recursive: true });
    const part = `${path}.part`;
    try {
      await pipeline(await this.body(key), createWriteStream(part));
      await rename(part, path);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
    return path;
  }

  /**
   * A presigned GET (SigV4 caps it at 7 days): the URL is its own credential, so it lives no longer than
   * the read it is made for. A missing object is ENOENT here, not a 404 in ffmpeg's words.
   */
  async inputFor(key: string, validSec: number): Promise<string> {
    if ((await this.size(key)) === undefined) throw Object.assign(new Error(`ENOENT: no object ${key}`), { code: 'ENOENT' });
    const expiresIn = Math.max(60, Math.min(MAX_PRESIGN_SEC, Math.ceil(validSec)));
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn });
  }

  async releaseLocal(prefix: string): Promise<void> {
    const dir = this.localPath(prefix);
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    this.forget(dir);
    if (this.isWorkspace) {
      // Only when empty (rmdir): another prefix of this workspace may still hold files.
      await rmdir(this.scratch).catch(() => undefined);
      await rmdir(join(this.scratch, '..')).catch(() => undefined);
    }
  }

  async read(key: string): Promise<Buffer> {
    return readWhole(() => this.body(key));
  }

  async readHead(key: string, bytes: number): Promise<Buffer> {
    const size = await this.size(key);
    if (size === undefined) throw Object.assign(new Error(`ENOENT: no object ${key}`), { code: 'ENOENT' });
    // A Range on an empty object is a 416: there is nothing to read anyway.
    if (size === 0 || bytes <= 0) return Buffer.alloc(0);
    return readWhole(() => this.body(key, `bytes=0-${Math.min(bytes, size) - 1}`));
  }

  async readText(key: string): Promise<string> {
    return (await this.read(key)).toString('utf8');
  }

  async size(key: string): Promise<number | undefined> {
    assertKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      throw err;
    }
  }

  /** One PUT: S3 shows the old object or the whole new one, never a part. */
  async write(key: string, data: string | Uint8Array): Promise<void> {
    await this.put(key, data);
  }

  /**
   * Streams to a scratch file, uploaded on commit: the object appears whole under `key`, and a discarded
   * import never leaves a multipart upload behind in the bucket.
   */
  async openWrite(key: string): Promise<StorageUpload> {
    const path = this.localPath(key);
    const part = `${path}.part`;
    await mkdir(join(path, '..'), { recursive: true });
    const stream = createWriteStream(part, { flags: 'w' });
    // Always listened to, as in LocalDiskStorage: an unheard 'error' would end the process.
    let failure: Error | null = null;
    stream.on('error', (err) => {
      failure ??= err;
    });
    return {
      stream,
      commit: async () => {
        if (failure) throw failure;
        try {
          await this.upload(key, createReadStream(part));
        } finally {
          await rm(part, { force: true });
        }
      },
      discard: async () => {
        stream.destroy();
        await rm(part, { force: true });
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    assertKey(from);
    assertKey(to);
    const source = `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: source }));
    await this.delete(from);
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string): Promise<string[]> {
    assertKey(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /**
   * The objects under the prefix (listed again until none is left: a concurrent upload is caught too),
   * and the scratch copies: an attempt that starts over must not publish the last one's files.
   */
  async deletePrefix(prefix: string): Promise<void> {
    await this.releaseLocal(prefix);
    for (;;) {
      const keys = (await this.list(prefix)).slice(0, 1000);
      if (keys.length === 0) return;
      const out = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
      );
      if (out.Errors?.length) throw new Error(`could not delete ${out.Errors.length} objects under ${prefix}: ${out.Errors[0]?.Message}`);
    }
  }

  private forget(dir: string): void {
    for (const path of this.published.keys()) if (path === dir || path.startsWith(dir + sep)) this.published.delete(path);
  }

  private async body(key: string, range?: string): Promise<Readable> {
    assertKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }));
      return out.Body as Readable;
    } catch (err) {
      if (isS3NotFound(err)) throw Object.assign(new Error(`ENOENT: no object ${key}`), { code: 'ENOENT' });
      throw err;
    }
  }

  private async put(key: string, data: string | Uint8Array): Promise<void> {
    assertKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentType: contentType(key) }));
  }

  /** A stream of unknown length: lib-storage sends one PUT, or a multipart upload past 5 MiB. */
  private async upload(key: string, body: Readable): Promise<void> {
    assertKey(key);
    await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType(key) } }).done();
  }
}

/** Files under `root` (or `root` itself when it is a file), without those still being written. */
async function localFiles(root: string): Promise<Array<{ path: string; signature: string }>> {
  const top = await stat(root).catch(() => undefined);
  if (!top) return [];
  if (top.isFile()) return [{ path: root, signature: `${top.size}:${top.mtimeMs}` }];
  const entries = await readdir(root, { recursive: true });
  const files: Array<{ path: string; signature: string }> = [];
  for (const entry of entries) {
    if (entry.endsWith('.tmp') || entry.endsWith('.part')) continue;
    const path = join(root, entry);
    // A file renamed away between readdir and stat (ffmpeg's temp files) is simply not listed.
    const s = await stat(path).catch(() => undefined);
    if (s?.isFile()) files.push({ path, signature: `${s.size}:${s.mtimeMs}` });
  }
  return files;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/** Served through the API, which sets its own types; this is for operators browsing the bucket. */
function contentType(key: string): string | undefined {
  if (key.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (key.endsWith('.m4s') || key.endsWith('.mp4')) return 'video/mp4';
  if (key.endsWith('.jpg')) return 'image/jpeg';
  if (key.endsWith('.vtt')) return 'text/vtt';
  return undefined;
}
