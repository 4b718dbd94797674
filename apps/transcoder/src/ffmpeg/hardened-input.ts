import { isAbsolute } from 'node:path';
import { PROBE_FORMAT_WHITELIST } from './media-limits.js';

/** ffprobe gives up above this many streams ("Too many streams"); the stream-count limit is lower. */
export const PROBE_MAX_STREAMS = 64;

export interface HardenedInputOptions {
  /**
   * Absolute, server-generated path, or an http(s) URL that our own storage signed for this read
   * (MediaStorage.inputFor on S3: a presigned GET of a stored object). Never a URL a user gave.
   */
  path: string;
  /**
   * ffmpeg: the demuxer to force with `-f` (the one ffprobe found, or `hls` for our own playlists), so
   * the file is not guessed a second, different way at open time. Absent for ffprobe, which detects the
   * format, but only among `formats`.
   */
  demuxer?: string;
  /** Demuxers allowed to open anything, nested ones included. Default: the upload allow-list. */
  formats?: string;
  /** ffprobe: bound what it reads, analyses and allocates. */
  probeBounds?: boolean;
  /** Input seek in seconds (`-ss` before `-i`: a cheap keyframe seek). */
  seekSec?: number;
  /** Decode keyframes only (`-skip_frame nokey`). */
  keyframesOnly?: boolean;
}

/**
 * The one way ffmpeg and ffprobe open a file: the input options, ending with `-i file:<path>`.
 * - `file:<absolute path>`: a name such as `concat:a|b`, `-i` or `http://...` is never read as a
 *   protocol or an option.
 * - `-protocol_whitelist file`: a playlist-like file (HLS, ffconcat) cannot make a demuxer open other
 *   URLs (https://ffmpeg.org/ffmpeg-protocols.html#Protocol-Options; the CVE-2017-9993 / "HLS SSRF"
 *   class of bug).
 * - `-format_whitelist`: every demuxer outside the allow-list is refused before it opens anything
 *   ("Format not on whitelist"), so hls, concat, dash, image2 or tty never read an upload even if one
 *   gets past the API's byte sniffer; nested demuxers inherit the list.
 * - the mov demuxer's external references stay off (`-enable_drefs 0`, `-use_absolute_path 0`: ffmpeg
 *   5.1's defaults, stated so another build cannot turn them on; ffmpeg -h demuxer=mov). ffmpeg, unlike
 *   ffprobe, refuses an input option that its demuxer lacks ("Option enable_drefs not found"), so they
 *   are given to ffmpeg only when the forced demuxer is mov.
 * - probe bounds (ffprobe): 50 MB read, 100 s analysed, PROBE_MAX_STREAMS streams, so a file cannot
 *   make ffprobe read or allocate without end; the wall-clock timeout kills it regardless.
 */
export function hardenedInput(opts: HardenedInputOptions): string[] {
  const url = storageUrl(opts.path);
  if (!url && !isAbsolute(opts.path)) throw new Error(`expected an absolute path: ${opts.path}`);
  // A playlist demuxer over HTTP would open every URL its playlist lists: a URL input gets the upload
  // allow-list only (no demuxer on it opens a second resource).
  if (url && opts.formats !== undefined) throw new Error('a URL input is opened with the upload allow-list only');
  if (opts.demuxer !== undefined && !/^[a-z0-9_]+$/.test(opts.demuxer)) throw new Error(`unexpected demuxer name ${opts.demuxer}`);
  const args = ['-format_whitelist', opts.formats ?? PROBE_FORMAT_WHITELIST];
  if (opts.demuxer === undefined || opts.demuxer === 'mov') args.push('-enable_drefs', '0', '-use_absolute_path', '0');
  if (opts.probeBounds) args.push('-probesize', '50M', '-analyzeduration', '100M', '-max_streams', String(PROBE_MAX_STREAMS));
  if (opts.seekSec !== undefined) args.push('-ss', opts.seekSec.toFixed(3));
  // A URL: its own scheme and what carries it (tcp, tls), nothing else; a file: the file protocol only.
  args.push('-protocol_whitelist', url ? (url.protocol === 'https:' ? 'https,tls,tcp' : 'http,tcp') : 'file');
  if (opts.keyframesOnly) args.push('-skip_frame', 'nokey');
  if (opts.demuxer !== undefined) args.push('-f', opts.demuxer);
  args.push('-i', url ? url.href : `file:${opts.path}`);
  return args;
}

/**
 * The path as a storage URL (http or https, no user info), or undefined for anything else. Such a URL
 * carries its own credentials (a presigned query) and is only ever made by our storage.
 */
export function storageUrl(path: string): URL | undefined {
  if (!/^https?:\/\//.test(path)) return undefined;
  const url = new URL(path);
  if (url.username || url.password) throw new Error('a storage URL carries no user info');
  return url;
}

/**
 * ffmpeg names its input in its messages: a signed URL's query is a credential for its lifetime, so it
 * never reaches a log line or an error a person sees.
 */
export function redactUrls(text: string): string {
  // A signed query has no bare `:` (SigV4 encodes it): ffmpeg's `<url>: <message>` keeps its message.
  return text.replace(/(https?:\/\/[^\s?'"]*)\?[^\s'":]*/g, '$1?<signed>');
}
