import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdtemp as mkdtempRaw, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MediaRejectedError,
  transcodeToHls,
  type TranscodeLimits,
  type TranscodeOptions,
} from '../../apps/transcoder/src/pipeline/transcode-to-hls.js';
import {
  firstPacketOf,
  firstSampleTime,
  parseIFramePlaylist,
  parseIFrameStreams,
  parseMaster,
  parseMasterMedia,
  parseMediaPlaylist,
  rungSegmentStarts,
} from '../support/hls.js';
import { FFMPEG_PATH, FFPROBE_PATH, makeClip } from '../support/media.js';

const run = promisify(execFile);

/** Every temp directory this file makes, removed after the run. */
const scratchDirs: string[] = [];
async function mkdtemp(prefix: string): Promise<string> {
  const dir = await mkdtempRaw(prefix);
  scratchDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(scratchDirs.map((d) => rm(d, { recursive: true, force: true })));
});

const limits: TranscodeLimits = {
  maxDurationSec: 3600,
  maxWidth: 3840,
  maxHeight: 2160,
  maxFps: 120,
  maxStreams: 8,
  timeoutMs: 100_000,
};

async function transcode(sourcePath: string, extra: Partial<TranscodeOptions> = {}) {
  const mediaDir = await mkdtemp(join(tmpdir(), 'reelroom-media-'));
  const outDir = join(mediaDir, 'hls');
  const result = await transcodeToHls({
    sourcePath,
    outDir,
    ffmpegPath: FFMPEG_PATH,
    ffprobePath: FFPROBE_PATH,
    maxHeight: 1080,
    limits,
    ...extra,
  });
  return { result, outDir, mediaDir };
}

describe('transcodeToHls (real ffmpeg)', () => {
  it('encodes a 720p30 clip with audio into three aligned, fully described renditions', async () => {
    const src = await makeClip({
      dir: await mkdtemp(join(tmpdir(), 'reelroom-clip-')),
      seconds: 6,
      width: 1280,
      height: 720,
      fps: 30,
      audio: true,
    });
    const progress: number[] = [];
    const { result, outDir } = await transcode(src, { onProgress: (p) => progress.push(p) });

    expect(result.masterPlaylist).toBe(join(outDir, 'master.m3u8'));
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([
      ['high', 1280, 720],
      ['medium', 854, 480],
      ['low', 640, 360],
    ]);
    expect(result.info.video).toMatchObject({ width: 1280, height: 720, fps: 30 });

    const master = await readFile(result.masterPlaylist, 'utf8');
    expect(master.startsWith('#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n')).toBe(true);
    const variants = parseMaster(master);
    expect(variants.map((v) => v.uri)).toEqual(['high/index.m3u8', 'medium/index.m3u8', 'low/index.m3u8']);
    for (const [i, v] of variants.entries()) {
      expect(v.attrs.CODECS).toMatch(/^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/);
      expect(v.attrs.RESOLUTION).toBe(`${result.renditions[i].width}x${result.renditions[i].height}`);
      expect(v.attrs['FRAME-RATE']).toBe('30.000');
      const peak = Number(v.attrs.BANDWIDTH);
      const avg = Number(v.attrs['AVERAGE-BANDWIDTH']);
      expect(avg).toBeGreaterThan(0);
      expect(peak).toBeGreaterThanOrEqual(avg);
      expect(peak).toBe(result.renditions[i].bitrate);
    }

    // Every rung: init.mp4 renamed into place, segments start with a keyframe, at the same times everywhere.
    const starts = result.renditions.map((r) => rungSegmentStarts(join(outDir, r.name)));
    for (const [i, r] of result.renditions.entries()) {
      const files = await readdir(join(outDir, r.name));
      expect(files).toContain('init.mp4');
      expect(files.some((f) => /^init_\d+\.mp4$/.test(f))).toBe(false);
      expect(starts[i].length).toBeGreaterThanOrEqual(2);
      expect(starts[i].every((s) => s.key)).toBe(true);
    }
    const reference = starts[0].map((s) => s.pts);
    for (const rung of starts.slice(1)) {
      expect(rung.length).toBe(reference.length);
      rung.forEach((s, j) => expect(s.pts).toBeCloseTo(reference[j], 2));
    }
    // Square pixels in every rung (854x480 used to carry 1280:1281 from 16:9).
    for (const r of result.renditions) {
      const file = join(outDir, `${r.name}-probe.mp4`);
      await writeFile(
        file,
        Buffer.concat([await readFile(join(outDir, r.name, 'init.mp4')), await readFile(join(outDir, r.name, 'seg_00000.m4s'))]),
      );
      const { stdout } = await run(FFPROBE_PATH, [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=width,height,sample_aspect_ratio',
        '-of',
        'csv=p=0',
        file,
      ]);
      expect(stdout.trim(), r.name).toBe(`${r.width},${r.height},1:1`);
      await rm(file);
    }

    // One shared audio rendition (issue 11): EXT-X-MEDIA in group "aud", named by every variant.
    expect(parseMasterMedia(master)).toEqual([
      { TYPE: 'AUDIO', 'GROUP-ID': 'aud', NAME: 'Main', DEFAULT: 'YES', AUTOSELECT: 'YES', CHANNELS: '2', URI: 'audio/index.m3u8' },
    ]);
    for (const v of variants) expect(v.attrs.AUDIO).toBe('aud');
    const audio = parseMediaPlaylist(await readFile(join(outDir, 'audio', 'index.m3u8'), 'utf8'));
    expect(audio.ended).toBe(true);
    expect(audio.map).toBe('init.mp4');
    expect(audio.segments.reduce((t, x) => t + x.duration, 0)).toBeCloseTo(6, 0);

    // A/V start: in the first segments, the first video frame is presented when the first audio sample
    // after the AAC priming (1024 samples of ffmpeg's encoder delay) plays, as an MSE player (no edit
    // lists) times them. It used to be 45 ms off (video at 0.067 s, audio content at 0.021 s).
    const audioInit = await readFile(join(outDir, 'audio', 'init.mp4'));
    const audioFirst = firstSampleTime(audioInit, await readFile(join(outDir, 'audio', audio.segments[0].uri)));
    const audioContent = audioFirst + 1024 / 48000;
    for (const r of result.renditions) {
      const rungPlaylist = parseMediaPlaylist(await readFile(join(outDir, r.name, 'index.m3u8'), 'utf8'));
      const videoFirst = firstSampleTime(
        await readFile(join(outDir, r.name, 'init.mp4')),
        await readFile(join(outDir, r.name, rungPlaylist.segments[0].uri)),
      );
      expect(Math.abs(videoFirst - audioContent) * 1000, `${r.name}: video ${videoFirst} s, audio content ${audioContent} s`).toBeLessThan(
        10,
      );
    }

    // I-frame playlists (trick play): one per video rung, byte ranges into the rung's own segments, each
    // starting a moof whose first sample ffprobe reads as a keyframe.
    const iframeStreams = parseIFrameStreams(master);
    expect(iframeStreams.map((i) => [i.URI, i.RESOLUTION])).toEqual(
      variants.map((v) => [v.uri.replace('index.m3u8', 'iframes.m3u8'), v.attrs.RESOLUTION]),
    );
    for (const stream of iframeStreams) {
      expect(stream.CODECS).toMatch(/^avc1\.64[0-9a-f]{4}$/);
      expect(Number(stream.BANDWIDTH)).toBeGreaterThanOrEqual(Number(stream['AVERAGE-BANDWIDTH']));
      const rung = stream.URI.split('/')[0];
      const iframes = parseIFramePlaylist(await readFile(join(outDir, stream.URI), 'utf8'));
      const media = parseMediaPlaylist(await readFile(join(outDir, rung, 'index.m3u8'), 'utf8'));
      expect(iframes.iFramesOnly && iframes.ended).toBe(true);
      expect(iframes.map).toBe('init.mp4');
      expect(iframes.entries.map((e) => e.uri)).toEqual(media.segments.map((x) => x.uri));
      expect(iframes.entries.reduce((t, e) => t + e.duration, 0)).toBeCloseTo(6, 1);
      const init = await readFile(join(outDir, rung, 'init.mp4'));
      for (const e of iframes.entries) {
        const seg = await readFile(join(outDir, rung, e.uri));
        expect(e.offset + e.length).toBeLessThanOrEqual(seg.length);
        const range = seg.subarray(e.offset, e.offset + e.length);
        expect(range.toString('latin1', 4, 8), `${rung}/${e.uri}@${e.offset}`).toBe('moof');
        const first = firstPacketOf(init, range);
        expect(first.key, `${rung}/${e.uri}`).toBe(true);
        // The range ends exactly with that I-frame's data.
        expect(e.length).toBe(range.readUInt32BE(0) + 8 + first.size);
      }
    }

    // Segment boundaries on the grid (ffmpeg/segment-grid.ts): a 1 s first segment, then the 2 s keyframe grid.
    expect(reference.map((pts) => +(pts - reference[0]).toFixed(2))).toEqual([0, 1, 2, 4]);

    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // No temp directories left next to the output.
    expect((await readdir(join(outDir, '..'))).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  it('yields two renditions (480 and 360) for a 640x480 source, and replaces an existing output', async () => {
    const src = await makeClip({ dir: await mkdtemp(join(tmpdir(), 'reelroom-clip-')), seconds: 3, width: 640, height: 480, audio: false });
    const { result, outDir } = await transcode(src);
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([
      ['high', 640, 480],
      ['medium', 480, 360],
    ]);
    const variants = parseMaster(await readFile(result.masterPlaylist, 'utf8'));
    expect(variants).toHaveLength(2);
    // No audio stream in the source: no audio codec advertised.
    for (const v of variants) expect(v.attrs.CODECS).toMatch(/^avc1\.[0-9a-f]{6}$/);

    await writeFile(join(outDir, 'stale.txt'), 'from an earlier run');
    const again = await transcodeToHls({
      sourcePath: src,
      outDir,
      ffmpegPath: FFMPEG_PATH,
      ffprobePath: FFPROBE_PATH,
      maxHeight: 1080,
      limits,
    });
    expect(again.renditions).toHaveLength(2);
    expect(existsSync(join(outDir, 'stale.txt'))).toBe(false);
    expect(existsSync(join(outDir, 'master.m3u8'))).toBe(true);
  });

  const hostile: Array<[string, string]> = [
    ['an HLS playlist renamed .mp4', '#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n'],
    ['an empty file', ''],
    ['an ffconcat list renamed .mp4', "ffconcat version 1.0\nfile '/etc/passwd'\n"],
  ];
  for (const [what, content] of hostile) {
    it(`rejects ${what} with MediaRejectedError and leaves no output`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'reelroom-hostile-'));
      const src = join(dir, 'upload.mp4');
      await writeFile(src, content);
      const outDir = join(dir, 'media', 'hls');
      const attempt = transcodeToHls({
        sourcePath: src,
        outDir,
        ffmpegPath: FFMPEG_PATH,
        ffprobePath: FFPROBE_PATH,
        maxHeight: 1080,
        limits,
      });
      await expect(attempt).rejects.toBeInstanceOf(MediaRejectedError);
      await expect(attempt).rejects.toThrow(/^This file is not a video we can read/);
      expect(existsSync(outDir)).toBe(false);
      const siblings = existsSync(join(dir, 'media')) ? await readdir(join(dir, 'media')) : [];
      expect(siblings).toEqual([]);
    });
  }
});
