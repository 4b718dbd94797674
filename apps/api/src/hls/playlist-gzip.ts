import { gzipSync } from 'node:zlib';

/**
 * Playlists at least this big go out gzipped to a client that accepts it (express's acceptsEncodings): a
 * low-latency live's full playlist, about 8 KB (five minutes of segments), to an eighth; a small master is not worth the CPU. A standard
 * live's playlists list every segment of the live (EVENT), so after four hours each reload of a rung is
 * about 230 KB of text that gzip makes 20 KB. Segments are compressed video and are never gzipped.
 */
export const GZIP_MIN_BYTES = 1_024;
/** Compressed playlists kept (one per file and version), so many viewers of one live cost one gzip. */
const CACHED = 256;

/** The gzipped bytes of a playlist version (by its ETag), compressed once and kept for the next viewers. */
export class PlaylistGzip {
  private readonly cache = new Map<string, Buffer>();

  bytes(key: string, etag: string, playlist: Buffer): Buffer {
    const id = `${key}\n${etag}`;
    let gz = this.cache.get(id);
    if (gz) {
      // Most recently used last: the oldest entry is the first to go.
      this.cache.delete(id);
    } else {
      gz = gzipSync(playlist);
      if (this.cache.size >= CACHED) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(id, gz);
    return gz;
  }
}
