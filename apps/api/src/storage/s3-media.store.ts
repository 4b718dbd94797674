import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { readWhole } from '@reelroom/s3';
import { isS3NotFound } from '@reelroom/s3/client';
import { isValidKey, isValidPrefix, mediaKeys } from './media-keys.js';
import { MediaStore, type ByteRange, type StagingArea, type StoredObject } from './media.store.js';
import { InvalidKeyError, type LocalMediaStore } from './local-media.store.js';

/** S3's limit for one CopyObject; larger objects are copied in parts (UploadPartCopy). */
const MAX_SINGLE_COPY = 5 * 1024 ** 3;
const COPY_PART = 512 * 1024 ** 2;

/**
 * MediaStore on an S3-compatible bucket (STORAGE=s3): no process needs a shared disk.
 *
 * Key layout: a key is the object's name (`<mediaId>/source`, `<mediaId>/hls/...`), except two staging areas:
 * - `.incoming/` (multipart uploads while multer writes them) stays on this process's local disk (`local`,
 *   under MEDIA_ROOT): `move` out of it is an upload, then the local file goes.
 * - `.tus/<name>` is the object `<name>` at the top of the bucket: @tus/s3-store names its objects by upload
 *   id with no prefix (`<id>`, `<id>.info`, `<id>.part`). Media objects all sit in `<mediaId>/` folders, so
 *   the bucket's top level holds tus's objects only.
 */
export class S3MediaStore extends MediaStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Local staging (`.incoming/`), on this process's disk. */
    private readonly local: LocalMediaStore,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.local.onModuleInit();
  }

  stagingDirectory(area: StagingArea): string {
    return this.local.stagingDirectory(area);
  }

  private isLocal(key: string): boolean {
    return key.startsWith(mediaKeys.stagingFolder('incoming'));
  }

  private objectKey(key: string): string {
    if (!isValidKey(key)) throw new InvalidKeyError(key);
    const tus = mediaKeys.stagingFolder('tus');
    return key.startsWith(tus) ? key.slice(tus.length) : key;
  }

  private objectPrefix(prefix: string): string {
    if (!isValidPrefix(prefix)) throw new InvalidKeyError(prefix);
    return prefix === mediaKeys.stagingFolder('tus') ? '' : prefix;
  }

  async stat(key: string): Promise<StoredObject | null> {
    if (this.isLocal(key)) return this.local.stat(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { key, size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (err) {
      if (isS3NotFound(err)) return null;
      throw err;
    }
  }

  async readHead(key: string, bytes: number): Promise<Buffer> {
    if (this.isLocal(key)) return this.local.readHead(key, bytes);
    const size = (await this.stat(key))?.size;
    if (size === undefined) throw Object.assign(new Error(`no object ${key}`), { code: 'ENOENT' });
    // A Range on an empty object is a 416: there is nothing to read anyway.
    if (size === 0 || bytes <= 0) return Buffer.alloc(0);
    return readWhole(() => this.read(key, { start: 0, end: Math.min(bytes, size) - 1 }));
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    if (this.isLocal(key)) return this.local.read(key, range);
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          ...(range && { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      return out.Body as Readable;
    } catch (err) {
      if (isS3NotFound(err)) throw Object.assign(new Error(`no object ${key}`), { code: 'ENOENT' });
      throw err;
    }
  }

  /** One PUT, or a multipart upload for a large body: either way the object appears whole, or not at all. */
  async write(key: string, body: Readable): Promise<void> {
    if (this.isLocal(key)) return this.local.write(key, body);
    await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: this.objectKey(key), Body: body } }).done();
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    if (this.isLocal(toKey)) throw new Error('cannot move into local staging');
    if (this.isLocal(fromKey)) {
      // A finished multipart upload: to the bucket, then off this disk.
      await this.write(toKey, createReadStream(this.local.pathOf(fromKey)));
      await this.local.delete(fromKey);
      return;
    }
    const from = await this.stat(fromKey);
    if (!from) throw Object.assign(new Error(`no object ${fromKey}`), { code: 'ENOENT' });
    if (from.size <= MAX_SINGLE_COPY) {
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: this.objectKey(toKey), CopySource: this.copySource(fromKey) }),
      );
    } else {
      await this.copyInParts(fromKey, toKey, from.size);
    }
    await this.delete(fromKey);
  }

  private copySource(key: string): string {
    return `${this.bucket}/${this.objectKey(key).split('/').map(encodeURIComponent).join('/')}`;
  }

  private async copyInParts(fromKey: string, toKey: string, size: number): Promise<void> {
    const Key = this.objectKey(toKey);
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }));
    try {
      const parts: Array<{ ETag: string | undefined; PartNumber: number }> = [];
      for (let start = 0, n = 1; start < size; start += COPY_PART, n++) {
        const end = Math.min(start + COPY_PART, size) - 1;
        const out = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key,
            UploadId,
            PartNumber: n,
            CopySource: this.copySource(fromKey),
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ ETag: out.CopyPartResult?.ETag, PartNumber: n });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    if (this.isLocal(prefix)) return this.local.list(prefix);
    const objectPrefix = this.objectPrefix(prefix);
    const out: StoredObject[] = [];
    // Delimiter '/': the objects directly in the folder, as the interface promises (and, for tus's top
    // level, not every media folder's contents).
    for await (const o of this.objects(objectPrefix, '/')) {
      out.push({ key: `${prefix}${o.key.slice(objectPrefix.length)}`, size: o.size, modifiedAt: o.modifiedAt });
    }
    return out;
  }

  private async *objects(prefix: string, delimiter?: string): AsyncGenerator<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) yield { key: o.Key, size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    if (this.isLocal(key)) return this.local.delete(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  /**
   * Every object under the prefix, 1000 per request (S3's DeleteObjects limit). Listed and deleted page
   * by page until a listing comes back empty: a transcoder still uploading a segment while we delete
   * leaves nothing behind.
   */
  async deletePrefix(prefix: string): Promise<void> {
    if (this.isLocal(prefix)) return this.local.deletePrefix(prefix);
    const objectPrefix = this.objectPrefix(prefix);
    if (objectPrefix === '') throw new InvalidKeyError(prefix);
    for (;;) {
      const batch: string[] = [];
      for await (const o of this.objects(objectPrefix)) {
        batch.push(o.key);
        if (batch.length === 1000) break;
      }
      if (batch.length === 0) return;
      const out = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      if (out.Errors?.length) throw new Error(`could not delete ${out.Errors.length} objects under ${prefix}: ${out.Errors[0]?.Message}`);
    }
  }
}
