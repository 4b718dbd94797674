import { spawn, spawnSync } from 'node:child_process';
import type { MediaLink, MediaLinkResolver } from '@reelroom/fetch';
import { IMPORT_SENTENCES, ImportRejectedError } from './import-rejected.error.js';

export interface YtDlpOptions {
  /** The binary (IMPORT_YTDLP_PATH, default `yt-dlp` on PATH). */
  path: string;
  /** yt-dlp's own run: it only reads the page and prints JSON, so a minute is plenty. */
  timeoutMs?: number;
  /** PeerTube caps yt-dlp's JSON at 30 MB; so do we. */
  maxOutputBytes?: number;
}

/**
 * Turns a page link (a video site) into one direct media link with yt-dlp, which only reads the page and
 * prints what it found (`--dump-single-json`, no download). The link it returns is then fetched by our
 * SafeFetcher like any pasted link: same address policy, redirects, size cap and timeouts; yt-dlp and
 * ffmpeg never download the media themselves. One file with both video and sound is asked for (`-f`),
 * plain http(s) preferred over HLS. Lives are refused.
 */
export class YtDlpResolver implements MediaLinkResolver {
  constructor(private readonly options: YtDlpOptions) {}

  async resolve(link: string, signal?: AbortSignal): Promise<MediaLink[]> {
    const json = await this.run(
      [
        '--dump-single-json',
        '--no-playlist',
        '--no-warnings',
        '--no-progress',
        '--ignore-config',
        '-f',
        'best[protocol^=http][vcodec!=none][acodec!=none]/best[protocol*=m3u8][vcodec!=none]/best',
        '--',
        link,
      ],
      signal,
    );
    let info: unknown;
    try {
      info = JSON.parse(json);
    } catch {
      throw new ImportRejectedError(IMPORT_SENTENCES.ytdlpFailed);
    }
    if (typeof info !== 'object' || info === null) throw new ImportRejectedError(IMPORT_SENTENCES.ytdlpFailed);
    const i = info as { url?: unknown; protocol?: unknown; is_live?: unknown; live_status?: unknown };
    if (i.is_live === true || i.live_status === 'is_live') throw new ImportRejectedError(IMPORT_SENTENCES.ytdlpLive);
    if (typeof i.url !== 'string' || i.url === '') throw new ImportRejectedError(IMPORT_SENTENCES.ytdlpFailed);
    const hls = typeof i.protocol === 'string' && i.protocol.includes('m3u8');
    return [{ url: i.url, kind: hls ? 'hls' : 'file' }];
  }

  private run(args: string[], signal?: AbortSignal): Promise<string> {
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const maxBytes = this.options.maxOutputBytes ?? 30 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      // An argument array, never a shell string; `--` ends the options so a link cannot be one.
      const child = spawn(this.options.path, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        signal,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) child.kill('SIGKILL');
        else chunks.push(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr = (stderr + c.toString('utf8')).slice(-2000);
      });
      // Aborted (a cancel): the job reads its own signal's reason; this only has to end the wait.
      const abortError = () => (signal?.reason instanceof Error ? signal.reason : new Error('yt-dlp aborted'));
      child.on('error', (err) => reject(signal?.aborted ? abortError() : err));
      child.on('close', (code) => {
        if (signal?.aborted) return reject(abortError());
        if (code !== 0 || size > maxBytes) return reject(new ImportRejectedError(IMPORT_SENTENCES.ytdlpFailed, { cause: stderr }));
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  }
}

/** yt-dlp's version when the binary answers, else null (IMPORT_YTDLP is then ignored, with a warning). */
export function ytDlpVersion(path: string): string | null {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}
