import type { Writable } from 'node:stream';

/**
 * The transcoder's media storage: everything it reads or writes under MEDIA_ROOT goes through this
 * interface. Keys are relative POSIX paths (`<mediaId>/hls/high/index.m3u8`), checked by `assertKey`.
 *
 * Local disk is the only implementation today (LocalDiskStorage). Object storage arrives in a later
 * issue; the interface is cut so it fits: whole-object reads and writes, rename, listing and deleting by
 * prefix. ffmpeg itself can only work on files, so `localPath` / `prepareLocal` hand it a path on this
 * machine: on local disk that is the served file itself (the output is played while it is written); an
 * object-storage implementation would map them to a scratch directory and upload what ffmpeg wrote.
 */
export interface MediaStorage {
  /** Absolute path on this machine where ffmpeg or ffprobe reads or writes `key`. */
  localPath(key: string): string;
  /** Makes `localPath(prefix)` a directory ffmpeg can write into (ffmpeg creates no directories). */
  prepareLocal(prefix: string): Promise<void>;
  read(key: string): Promise<Buffer>;
  /** The first `bytes` bytes (fewer when the object is shorter): a segment's moof without its media data. */
  readHead(key: string, bytes: number): Promise<Buffer>;
  readText(key: string): Promise<string>;
  /** Size in bytes, or undefined when there is no such object: "not there yet" is an answer, not an error. */
  size(key: string): Promise<number | undefined>;
  /** Atomic: a reader sees the old content or the new one, never a partial write. */
  write(key: string, data: string | Uint8Array): Promise<void>;
  /**
   * A streamed write (an import by link: too big for memory). Nothing is visible under `key` until
   * `commit()`; `discard()` removes what was written. The stream's errors (disk full) are the caller's.
   */
  openWrite(key: string): Promise<StorageUpload>;
  /** Replaces `to` if it exists. */
  rename(from: string, to: string): Promise<void>;
  /** No error when there is nothing to delete. */
  delete(key: string): Promise<void>;
  /** Every key under `prefix`, sorted; empty when there is none. */
  list(prefix: string): Promise<string[]>;
  /** Removes `prefix` and everything under it; no error when there is nothing. */
  deletePrefix(prefix: string): Promise<void>;
}

export interface StorageUpload {
  stream: Writable;
  /** After the stream finished: makes the object appear under its key (atomically). */
  commit(): Promise<void>;
  /** Destroys the stream and removes the partial object. */
  discard(): Promise<void>;
}

export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');

/** A key is one or more non-empty segments without `.`/`..`, backslashes or NUL: it can never leave the root. */
export function assertKey(key: string): void {
  const ok =
    key.length > 0 && !key.startsWith('/') && !/[\\\0]/.test(key) && key.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
  if (!ok) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

/** `a/b` + `c` -> `a/b/c`; the result is checked. */
export function joinKey(...parts: string[]): string {
  const key = parts.filter((p) => p !== '').join('/');
  assertKey(key);
  return key;
}

/** Where one media's files live: the upload the API stored, and the served HLS output. */
export const mediaKeys = (mediaId: string) => ({
  folder: mediaId,
  source: joinKey(mediaId, 'source'),
  hls: joinKey(mediaId, 'hls'),
});
