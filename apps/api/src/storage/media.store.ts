import type { Readable } from 'node:stream';

/** An object in the store. */
export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** A byte range of an object, both ends included (an HTTP Range request's `bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where uploads arrive while they are in flight: multipart (multer) and resumable (tus). */
export type StagingArea = 'incoming' | 'tus';

/**
 * The one interface to media storage. Everything the API keeps about media lives here, addressed by
 * keys: '/'-separated relative paths such as `<mediaId>/source`, `<mediaId>/hls/master.m3u8` or
 * `.tus/<uploadId>` (see media-keys.ts for the layout). Callers never build a filesystem path.
 *
 * LocalMediaStore keeps the objects under MEDIA_ROOT. The interface is shaped for object storage too
 * (an S3 implementation arrives with the storage issue): keys not paths, streams in and out, listing a
 * folder, deleting by prefix, a move that may be a copy and a delete. Staging is the one local part:
 * multer and tus's FileStore write the bytes of an upload in flight themselves, so they need a local
 * directory; a finished upload then moves into the store (`move`), which for S3 is an upload.
 */
export abstract class MediaStore {
  /** A local directory where uploads of this kind are written while they arrive. Exists after start-up. */
  abstract stagingDirectory(area: StagingArea): string;

  /** Size and time of an object, or null when there is none (or it is not something we serve). */
  abstract stat(key: string): Promise<StoredObject | null>;
  /** The first `bytes` bytes (fewer if the object is shorter), for sniffing the type. */
  abstract readHead(key: string, bytes: number): Promise<Buffer>;
  /** The object's bytes (or only `range` of them); rejects when it does not exist. */
  abstract read(key: string, range?: ByteRange): Promise<Readable>;
  /** Stores `body` under `key`; readers see the old object or the whole new one, never a part. */
  abstract write(key: string, body: Readable): Promise<void>;
  /** Moves an object (a finished upload into its media folder). */
  abstract move(fromKey: string, toKey: string): Promise<void>;
  /** The objects directly in the folder `prefix` (ending with `/`); empty when there is none. */
  abstract list(prefix: string): Promise<StoredObject[]>;
  /** Deletes an object; nothing happens when it does not exist. */
  abstract delete(key: string): Promise<void>;
  /** Deletes everything under the folder `prefix` (ending with `/`). */
  abstract deletePrefix(prefix: string): Promise<void>;
}
