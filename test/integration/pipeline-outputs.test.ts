import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp as mkdtempRaw, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView } from '@reelroom/contracts';
import { transcodeToHls, type TranscodeLimits, type TranscodeOptions } from '../../apps/transcoder/src/pipeline/transcode-to-hls.js';
import { ApiClient } from '../support/api-client.js';
import { parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { FFMPEG_PATH, FFPROBE_PATH, makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

// Issue 4: playable while encoding (EVENT playlists + early master, VOD at the end), poster, storyboard,
// audio-only uploads. Real ffmpeg; the last block goes through the real stack over HTTP. The 720p sources
// (a three-rung ladder) are 10 fps: keyframes, segments and tiles go by time, so a third of the frames
// checks the same things at a third of the encode.
const run = promisify(execFile);

const scratchDirs: string[] = [];
async function mkdtemp(prefix: string): Promise<string> {
  const dir = await mkdtempRaw(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(scratchDirs.map((d) => rm(d, { recursive: true, force: true })));
});

const limits: TranscodeLimits = { maxDurationSec: 3600, maxWidth: 3840, maxHeight: 2160, maxFps: 120, maxStreams: 8, timeoutMs: 110_000 };

async function transcode(sourcePath: string, extra: Partial<TranscodeOptions> = {}) {
  const outDir = join(await mkdtemp('rr-out-'), 'hls');
  const result = await transcodeToHls({
    sourcePath,
    outDir,
    ffmpegPath: FFMPEG_PATH,
    ffprobePath: FFPROBE_PATH,
    maxHeight: 1080,
    limits,
    ...extra,
  });
  return { result, outDir };
}

async function imageSize(path: string): Promise<{ width: number; height: number }> {
  const { stdout } = await run(FFPROBE_PATH, ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]);
  const [width, height] = stdout.trim().split(',').map(Number);
  return { width: width, height: height };
}

/** Every file under dir, relative, for "no temp files left" checks. */
function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('pipeline outputs (real ffmpeg)', () => {
  it('publishes the master while ffmpeg still encodes (EVENT playlists without ENDLIST), then ends as VOD with poster and storyboard', async () => {
    const src = await makeClip({ dir: await mkdtemp('rr-clip-'), seconds: 20, width: 1280, height: 720, fps: 10, audio: true });
    let atPlayable: { master: string; rungs: Record<string, string>; progress: number } | undefined;
    let lastProgress = 0;
    let posterSeen = false;
    const dir = join(await mkdtemp('rr-out-'), 'hls');
    // EXT-X-TARGETDURATION of every served media playlist at every progress report (about twice a second)
    // and at playable time: what a player reloading it would read (RFC 8216 6.2.1: it must not change).
    const targets: Record<string, Array<number | null>> = {};
    const readTargets = () => {
      for (const rung of ['high', 'medium', 'low', 'audio']) {
        const path = join(dir, rung, 'index.m3u8');
        if (!existsSync(path)) continue;
        (targets[rung] ??= []).push(parseMediaPlaylist(readFileSync(path, 'utf8')).targetDuration);
      }
    };
    const { result } = await transcode(src, {
      outDir: dir,
      onProgress: (p) => {
        lastProgress = p;
        if (p < 100) readTargets();
      },
      onPlayable: () => {
        // Synchronously, at the moment the callback fires: what a player would fetch now.
        const master = readFileSync(join(dir, 'master.m3u8'), 'utf8');
        const rungs: Record<string, string> = {};
        for (const v of parseMaster(master)) rungs[v.uri] = readFileSync(join(dir, v.uri), 'utf8');
        atPlayable = { master, rungs, progress: lastProgress };
        readTargets();
      },
      onPoster: () => {
        posterSeen = true;
      },
    });

    // At playable time: three variants with CODECS and estimated bandwidth; every rung an EVENT playlist
    // with at least one segment and no ENDLIST; encoding far from done.
    expect(atPlayable).toBeDefined();
    expect(atPlayable!.progress).toBeLessThan(90);
    const early = parseMaster(atPlayable!.master);
    expect(early.map((v) => v.uri)).toEqual(['high/index.m3u8', 'medium/index.m3u8', 'low/index.m3u8']);
    for (const v of early) {
      expect(v.attrs.CODECS).toMatch(/^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/);
      expect(Number(v.attrs.BANDWIDTH)).toBeGreaterThan(0);
      const text = atPlayable!.rungs[v.uri];
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
      const playlist = parseMediaPlaylist(text);
      expect(playlist.segments.length).toBeGreaterThanOrEqual(1);
      expect(playlist.ended).toBe(false);
      // Playable after the 1 s first segment (ffmpeg/segment-grid.ts), not a 2 s one.
      expect(playlist.segments[0].duration).toBeCloseTo(1, 1);
      // ...yet the target is the grid's 2 already (ffmpeg's own playlist says 1 here).
      expect(playlist.targetDuration).toBe(2);
    }
    // While encoding: the video rungs' target is 2 at every read, the audio rendition's (1 s segments)
    // the same value at every read.
    for (const rung of ['high', 'medium', 'low']) {
      expect(targets[rung]?.length, rung).toBeGreaterThan(1);
      expect(new Set(targets[rung]), rung).toEqual(new Set([2]));
    }
    expect(new Set(targets.audio).size).toBe(1);

    // At the end: VOD with ENDLIST, init.mp4 by its fixed name, measured master, no temp files.
    const master = await readFile(join(dir, 'master.m3u8'), 'utf8');
    const variants = parseMaster(master);
    expect(variants.map((v) => v.attrs.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360']);
    for (const [i, v] of variants.entries()) {
      expect(Number(v.attrs.BANDWIDTH)).toBe(result.renditions[i].bitrate);
      const text = await readFile(join(dir, v.uri), 'utf8');
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      const playlist = parseMediaPlaylist(text);
      expect(playlist.ended).toBe(true);
      expect(playlist.map).toBe('init.mp4');
      expect(playlist.segments.reduce((s, x) => s + x.duration, 0)).toBeCloseTo(20, 0);
      expect(playlist.segments.every((s) => s.duration <= 2.5)).toBe(true);
      // [0,1) [1,2) [2,4) ... [18,20): the short first segment, then the 2 s grid; the target is the longest.
      expect(playlist.segments.map((s) => Math.round(s.duration))).toEqual([1, 1, ...Array<number>(9).fill(2)]);
      expect(/^#EXT-X-TARGETDURATION:(\d+)$/m.exec(text)?.[1]).toBe('2');
    }
    // ...and no ffmpeg playlist (`ffmpeg.m3u8.part`): only the served ones remain.
    expect(listTree(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.part') || /init_\d+\.mp4$/.test(f))).toEqual([]);

    // Poster: one JPEG at most 1280 wide. Storyboard: sprite + VTT whose tiles lie inside the sprite.
    expect(result.poster).toBe(true);
    expect(posterSeen).toBe(true);
    expect(await imageSize(join(dir, 'poster.jpg'))).toEqual({ width: 1280, height: 720 });
    expect(result.storyboard).toBe(true);
    const sprite = await imageSize(join(dir, 'storyboard.jpg'));
    const vtt = await readFile(join(dir, 'storyboard.vtt'), 'utf8');
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    const cues = [...vtt.matchAll(/(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\nstoryboard\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)/g)];
    expect(cues).toHaveLength(10); // a tile every 2 s over 20 s
    for (const c of cues) {
      const [x, y, w, h] = c.slice(3).map(Number);
      expect(w).toBe(160);
      expect(x + w).toBeLessThanOrEqual(sprite.width);
      expect(y + h).toBeLessThanOrEqual(sprite.height);
    }
    expect(sprite).toEqual({ width: 1600, height: 90 });
  });

  it('turns an audio-only mp3 into an audio-only HLS stream (CODECS mp4a.40.2, no RESOLUTION) with a waveform poster', async () => {
    const dirIn = await mkdtemp('rr-audio-');
    const src = join(dirIn, 'song.mp3');
    await run(FFMPEG_PATH, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=330:sample_rate=44100:duration=9',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '128k',
      src,
    ]);
    let playable = 0;
    const { result, outDir } = await transcode(src, { onPlayable: () => playable++ });
    expect(result.kind).toBe('audio');
    expect(result.renditions).toEqual([]);
    expect(playable).toBe(1);
    const variants = parseMaster(await readFile(join(outDir, 'master.m3u8'), 'utf8'));
    expect(variants).toHaveLength(1);
    expect(variants[0].uri).toBe('audio/index.m3u8');
    expect(variants[0].attrs.CODECS).toBe('mp4a.40.2');
    expect(variants[0].attrs.RESOLUTION).toBeUndefined();
    expect(variants[0].attrs['FRAME-RATE']).toBeUndefined();
    const playlist = parseMediaPlaylist(await readFile(join(outDir, 'audio', 'index.m3u8'), 'utf8'));
    expect(playlist.ended).toBe(true);
    expect(playlist.map).toBe('init.mp4');
    expect(playlist.segments.reduce((s, x) => s + x.duration, 0)).toBeCloseTo(9, 0);
    // The segments hold AAC stereo, 48 kHz.
    const init = await readFile(join(outDir, 'audio', 'init.mp4'));
    const first = await readFile(join(outDir, 'audio', playlist.segments[0].uri));
    const joined = join(dirIn, 'joined.mp4');
    await import('node:fs/promises').then((fs) => fs.writeFile(joined, Buffer.concat([init, first])));
    const { stdout } = await run(FFPROBE_PATH, [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,channels,sample_rate,codec_type',
      '-of',
      'csv=p=0',
      joined,
    ]);
    expect(stdout.trim()).toBe('aac,audio,48000,2');
    expect(result.poster).toBe(true);
    expect(await imageSize(join(outDir, 'poster.jpg'))).toEqual({ width: 1280, height: 720 });
    expect(result.storyboard).toBe(false);
    expect(existsSync(join(outDir, 'storyboard.vtt'))).toBe(false);
  });

  it('still encodes a video without audio (video-only CODECS), with poster and storyboard', async () => {
    const src = await makeClip({ dir: await mkdtemp('rr-clip-'), seconds: 4, width: 640, height: 360, audio: false });
    const { result, outDir } = await transcode(src);
    expect(result.kind).toBe('video');
    const variants = parseMaster(await readFile(join(outDir, 'master.m3u8'), 'utf8'));
    expect(variants.length).toBeGreaterThanOrEqual(1);
    for (const v of variants) expect(v.attrs.CODECS).toMatch(/^avc1\.[0-9a-f]{6}$/);
    expect(result.poster && result.storyboard).toBe(true);
    expect((await imageSize(join(outDir, 'poster.jpg'))).width).toBe(640);
  });

  it('removes the partial output when the job is aborted mid-encode, and a retry starts from an empty directory', async () => {
    const src = await makeClip({ dir: await mkdtemp('rr-clip-'), seconds: 30, width: 1280, height: 720, fps: 10, audio: true });
    const base = await mkdtemp('rr-out-');
    const outDir = join(base, 'hls');
    const abort = new AbortController();
    let playableSeen = false;
    const attempt = transcodeToHls({
      sourcePath: src,
      outDir,
      ffmpegPath: FFMPEG_PATH,
      ffprobePath: FFPROBE_PATH,
      maxHeight: 720,
      limits,
      signal: abort.signal,
      onPlayable: () => {
        playableSeen = true;
        expect(existsSync(join(outDir, 'master.m3u8'))).toBe(true);
        abort.abort();
      },
    });
    await expect(attempt).rejects.toThrow();
    expect(playableSeen).toBe(true);
    expect(existsSync(outDir)).toBe(false);
    expect(await readdir(base)).toEqual([]);
  });
});

describe('playable while processing, through the real stack', () => {
  let stack: Stack;
  let owner: ApiClient;
  beforeAll(async () => {
    stack = await startStack({ web: false });
    owner = new ApiClient(stack.baseUrl);
    await owner.register();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('an upload becomes playable (with a playback URL that serves) while still processing; the final view links a poster and a storyboard', async () => {
    const room = await owner.createRoom('Early');
    const clip = await makeClip({ dir: await mkdtemp('rr-clip-'), seconds: 40, width: 1280, height: 720, fps: 10, audio: true });
    const queued = await owner.upload(room.id, clip, 'long.mp4');
    expect(queued.playable).toBe(false);

    // Poll like the web app's list does.
    const seen: MediaView[] = [];
    let early: MediaView | undefined;
    const until = Date.now() + 110_000;
    for (;;) {
      const m = await owner.json<MediaView>('GET', `/api/media/${queued.id}`);
      seen.push(m);
      if (m.status === 'processing' && m.playable && !early) {
        early = m;
        // The master and the first segment of every rung are served right now.
        const master = await owner.request('GET', m.playbackUrl!);
        expect(master.status).toBe(200);
        for (const v of parseMaster(await master.text())) {
          const res = await owner.request('GET', `/media/${m.id}/${v.uri}`);
          expect(res.status).toBe(200);
          const playlist = parseMediaPlaylist(await res.text());
          const seg = await owner.request('GET', `/media/${m.id}/${v.uri.replace(/index\.m3u8$/, '')}${playlist.segments[0].uri}`);
          expect(seg.status).toBe(200);
        }
      }
      if (m.status === 'ready' || m.status === 'failed') break;
      if (Date.now() > until) throw new Error(`still ${m.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(early, 'saw processing + playable before ready').toBeDefined();
    expect(early!.playbackUrl).toBe(`/media/${queued.id}/master.m3u8`);
    expect(early!.progress).toBeLessThan(100);
    // ETA was reported while processing.
    expect(seen.some((m) => m.status === 'processing' && typeof m.etaSec === 'number')).toBe(true);

    const ready = seen.at(-1)!;
    expect(ready).toMatchObject({ status: 'ready', kind: 'video', playable: true, etaSec: null });
    expect(ready.posterUrl).toBe(`/media/${queued.id}/poster.jpg`);
    expect(ready.storyboardUrl).toBe(`/media/${queued.id}/storyboard.vtt`);
    const poster = await owner.request('GET', ready.posterUrl!);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toContain('image/jpeg');
    const vttRes = await owner.request('GET', ready.storyboardUrl!);
    expect(vttRes.status).toBe(200);
    expect(vttRes.headers.get('content-type')).toContain('text/vtt');
    const vtt = await vttRes.text();
    expect(vtt).toContain('storyboard.jpg#xywh=');
    const sprite = await owner.request('GET', `/media/${queued.id}/storyboard.jpg`);
    expect(sprite.status).toBe(200);
    expect(sprite.headers.get('content-type')).toContain('image/jpeg');
    // The final playlists are VOD.
    const low = parseMediaPlaylist(await (await owner.request('GET', `/media/${queued.id}/low/index.m3u8`)).text());
    expect(low.ended).toBe(true);
  });

  it('accepts an audio-only upload and makes it an audio stream with a poster', async () => {
    const room = await owner.createRoom('Podcast');
    const dir = await mkdtemp('rr-audio-');
    // mp3 with an ID3 tag: the API's byte sniffer classifies it as audio (it used to refuse it with 415).
    const src = join(dir, 'episode.mp3');
    await run(FFMPEG_PATH, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=220:sample_rate=44100:duration=6',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '96k',
      '-id3v2_version',
      '3',
      '-metadata',
      'title=Episode 1',
      src,
    ]);
    expect(readFileSync(src).subarray(0, 3).toString('latin1')).toBe('ID3');
    const queued = await owner.upload(room.id, src, 'episode.mp3');
    const ready = await owner.waitForMedia(queued.id);
    expect(ready.error).toBeNull();
    expect(ready).toMatchObject({ status: 'ready', kind: 'audio', renditions: [], playbackUrl: `/media/${queued.id}/master.m3u8` });
    expect(ready.posterUrl).toBe(`/media/${queued.id}/poster.jpg`);
    expect(ready.storyboardUrl).toBeNull();
    const variants = parseMaster(await (await owner.request('GET', ready.playbackUrl!)).text());
    expect(variants.map((v) => [v.uri, v.attrs.CODECS, v.attrs.RESOLUTION])).toEqual([['audio/index.m3u8', 'mp4a.40.2', undefined]]);
  });
});
