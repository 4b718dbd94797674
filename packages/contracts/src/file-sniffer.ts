/**
 * Recognises a container from its first bytes. The extension and the browser's MIME type are the
 * uploader's claims; these bytes are what ffmpeg will actually see. Anything unrecognised (text, HTML,
 * an HLS or ffconcat playlist renamed .mp4, an image, a zip) is refused before it reaches a worker.
 * Shared by the API (uploads) and the transcoder's import worker (files fetched by link), so both
 * accept exactly the same bytes. Plain Uint8Array: no Node Buffer needed.
 */
export type SniffResult =
  | { kind: 'video'; container: 'mp4' | 'matroska' | 'avi' | 'flv' | 'mpegts' | 'mpeg-ps' | 'ogg' }
  | { kind: 'audio'; container: 'mp3' | 'wav' | 'flac' | 'aac' }
  | { kind: 'empty' }
  | { kind: 'unknown' };

/** How many bytes sniff() wants to see (MPEG-TS needs two packets of 188). */
export const SNIFF_BYTES = 512;

const ascii = (b: Uint8Array, start: number, end: number) => String.fromCharCode(...b.subarray(start, end));
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

export function sniff(head: Uint8Array): SniffResult {
  if (head.length === 0) return { kind: 'empty' };
  // ISO BMFF (mp4, mov, m4v, 3gp): a box whose type is ftyp; old QuickTime files may open with moov/mdat/free/wide.
  if (head.length >= 12 && ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'].includes(ascii(head, 4, 8))) {
    const size = u32(head, 0);
    if (size === 0 || size === 1 || size >= 8) return { kind: 'video', container: 'mp4' };
  }
  if (head.length >= 4 && u32(head, 0) === 0x1a45dfa3) return { kind: 'video', container: 'matroska' };
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') return { kind: 'video', container: 'avi' };
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return { kind: 'audio', container: 'wav' };
  if (head.length >= 3 && ascii(head, 0, 3) === 'FLV') return { kind: 'video', container: 'flv' };
  if (head.length >= 4 && ascii(head, 0, 4) === 'OggS') return { kind: 'video', container: 'ogg' };
  if (head.length >= 4 && u32(head, 0) === 0x000001ba) return { kind: 'video', container: 'mpeg-ps' };
  if (head.length >= 377 && head[0] === 0x47 && head[188] === 0x47 && head[376] === 0x47) return { kind: 'video', container: 'mpegts' };
  if (head.length >= 4 && ascii(head, 0, 4) === 'fLaC') return { kind: 'audio', container: 'flac' };
  if (head.length >= 3 && ascii(head, 0, 3) === 'ID3') return { kind: 'audio', container: 'mp3' };
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return { kind: 'audio', container: 'aac' };
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return { kind: 'audio', container: 'mp3' };
  return { kind: 'unknown' };
}

/** A web page rather than media: for the import's sentence (and the yt-dlp fallback). */
export function looksLikeHtml(head: Uint8Array): boolean {
  const text = ascii(head, 0, Math.min(head.length, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return (
    text.startsWith('<!doctype html') ||
    text.startsWith('<html') ||
    text.startsWith('<head') ||
    text.startsWith('<body') ||
    (text.startsWith('<') && text.includes('<html'))
  );
}
