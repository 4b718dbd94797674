import type { Writable } from 'node:stream';

/**
 * The transcoder's media storage: everything it reads or writes of a media goes through this interface.
 * Keys are relative POSIX paths (`<mediaId>/hls/high/index.m3u8`), checked by `assertKey`.
 *
 * Two implementations: LocalDiskStorage (MEDIA_ROOT, a local or shared volume) and S3Storage (a bucket;
 * STORAGE=s3). ffmpeg itself can only work on files, so `localPath` / `prepareLocal` hand it a path on this
 * machine: on local disk that is the stored file itself (the output is played while it is written); on S3
 * it is a scratch file that becomes an object only when `publishLocal` uploads it. A step that has ffmpeg
 * write a file therefore calls `publishLocal` before it reads the result back through the store, and a
 * step that has ffmpeg read a stored object asks for it with `fetchLocal`. `releaseLocal` drops the
 * scratch copies once the job is done. On local disk the three are no-ops.
 */
export interface MediaStorage {
  /** Absolute path on this machine where ffmpeg or ffprobe reads or writes `key`. */
  localPath(key: string): string;
  /** Makes `localPath(prefix)` a directory ffmpeg can write into (ffmpeg creates no directories). */
  prepareLocal(prefix: string): Promise<void>;
  /**
   * Makes what ffmpeg wrote at `localPath(key)` (a file, or a folder and everything in it) visible in the
   * store: new and changed files only, every media file before the playlists, and each playlist as it was
   * when this call began, so a stored playlist never lists a segment that is not stored yet. Files being
   * written (`*.tmp`, `*.part`) are skipped. Calls for one key run one after the other.
   */
  publishLocal(key: string): Promise<void>;
  /** The text of the local file at `localPath(key)` (one ffmpeg wrote), or undefined when there is none. */
  readLocalText(key: string): Promise<string | undefined>;
  /**
   * Writes the local file at `localPath(key)` as ffmpeg's temp_file does (temp file + rename): on local disk
   * that is the stored file; on S3 it reaches the store with the next `publishLocal`, like ffmpeg's output.
   */
  writeLocalText(key: string, text: string): Promise<void>;
  /** A local file with the stored object's bytes, for ffmpeg or ffprobe to read: its path. */
  fetchLocal(key: string): Promise<string>;
  /**
   * Where ffmpeg or ffprobe reads `key` in place, without a whole copy on this machine: the stored file on
   * local disk; on S3 a presigned GET URL valid for `validSec` seconds, which ffmpeg reads with range
   * requests (a chunk's encode fetches the index and its own stretch of the source, not the whole file).
   * Only for ffmpeg's input through hardenedInput; never handed to a client.
   */
  inputFor(key: string, validSec: number): Promise<string>;
  /** Drops the scratch copies under `prefix` (nothing is removed from the store). */
  releaseLocal(prefix: string): Promise<void>;
  /**
   * The same store with local files of its own: one job's workspace (`name`: letters, digits, `-`, `_`).
   * Jobs of one media can run side by side on one host (the chunks of a chunked transcode): each one's
   * ffmpeg writes, publishes and releases only its own scratch files, never another's half-uploaded
   * output. Its `releaseLocal` of the last prefix removes the workspace itself. Local disk: this storage
   * (there is no scratch to keep apart).
   */
  workspace(name: string): MediaStorage;
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

/** A workspace name is one plain folder name: never a path, never hidden. */
export function assertWorkspaceName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(name)) throw new Error(`invalid workspace name: ${JSON.stringify(name)}`);
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
