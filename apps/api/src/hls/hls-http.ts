import type { ByteRange, StoredObject } from '../storage/media.store.js';

/** What to send for a GET of a stored file, given the request's conditional and Range headers. */
export type HlsReply =
  | { status: 200 }
  | { status: 206; range: ByteRange }
  | { status: 304 }
  /** Range not satisfiable: answer with `Content-Range: bytes *\/size`. */
  | { status: 416 };

/** A strong validator from size and modification time (what express's static files use, not weak). */
export const etagOf = (o: Pick<StoredObject, 'size' | 'modifiedAt'>): string =>
  `"${o.size.toString(16)}-${o.modifiedAt.getTime().toString(16)}"`;

type Headers = { 'if-none-match'?: string; range?: string; 'if-range'?: string };

/** Pure: does an If-None-Match list (or `*`) name this ETag? Weak comparison, as RFC 9110 wants for it. */
export function noneMatchHits(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

/**
 * Pure: a single `bytes=` range of an object of `size` bytes, clamped to it; null for a header we ignore
 * (several ranges, another unit, nonsense: RFC 9110 lets a server answer those with the whole file);
 * 'unsatisfiable' for a range that starts past the end.
 */
export function parseRange(header: string, size: number): ByteRange | null | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    // A suffix: the last N bytes.
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * Pure: 304 when the client's copy is current (If-None-Match), 206 for a satisfiable single Range (unless
 * If-Range names another version), 416 for one past the end, else 200 with the whole file.
 */
export function hlsReply(headers: Headers, object: Pick<StoredObject, 'size' | 'modifiedAt'>): HlsReply {
  const etag = etagOf(object);
  if (headers['if-none-match'] && noneMatchHits(headers['if-none-match'], etag)) return { status: 304 };
  if (!headers.range) return { status: 200 };
  const ifRange = headers['if-range'];
  if (ifRange && ifRange.trim() !== etag && ifRange.trim() !== object.modifiedAt.toUTCString()) return { status: 200 };
  const range = parseRange(headers.range, object.size);
  if (range === 'unsatisfiable') return { status: 416 };
  return range ? { status: 206, range } : { status: 200 };
}
