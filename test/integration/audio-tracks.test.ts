import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegRunner } from '../../apps/transcoder/src/ffmpeg/ffmpeg-runner.js';
import { probeMedia } from '../../apps/transcoder/src/ffmpeg/probe.js';
import { ChunkedTranscoder } from '../../apps/transcoder/src/pipeline/chunked-transcode.js';
import { InProcessLock } from '../../apps/transcoder/src/pipeline/publish-lock.js';
import { transcodeToHls, type TranscodeLimits } from '../../apps/transcoder/src/pipeline/transcode-to-hls.js';
import { LocalDiskStorage } from '../../apps/transcoder/src/storage/local-disk.storage.js';
import { firstSampleTime, parseMaster, parseMasterMedia, parseMediaPlaylist } from '../support/hls.js';
import { FFMPEG_PATH, FFPROBE_PATH, makeTwoAudioClip, toneFrequency } from '../support/media.js';

/**
 * Issue 12: every audio track of an upload becomes its own HLS rendition, in the single pass and in the
 * chunked encode, with the source's names, languages and default track; each decodes and really is that track.
 */
const run = promisify(execFile);
const limits: TranscodeLimits = { maxDurationSec: 3600, maxWidth: 3840, maxHeight: 2160, maxFps: 120, maxStreams: 8, timeoutMs: 300_000 };
let scratch: string;
let clip: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'rr-audio-tracks-'));
  clip = await makeTwoAudioClip({ seconds: 8, dir: scratch });
}, 120_000);
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The rendition's init segment and every segment, as one fMP4 file ffmpeg and ffprobe can read. */
async function joinRendition(outDir: string, uri: string): Promise<{ file: string; segments: number; seconds: number }> {
  const playlistPath = join(outDir, uri);
  const playlist = parseMediaPlaylist(await readFile(playlistPath, 'utf8'));
  expect(playlist.ended).toBe(true);
  const dir = dirname(playlistPath);
  const parts = [await readFile(join(dir, playlist.map!))];
  for (const s of playlist.segments) parts.push(await readFile(join(dir, s.uri)));
  const file = join(scratch, `${uri.replace(/\W/g, '_')}-${Math.random().toString(36).slice(2)}.mp4`);
  await writeFile(file, Buffer.concat(parts));
  return { file, segments: playlist.segments.length, seconds: playlist.segments.reduce((t, s) => t + s.duration, 0) };
}

async function expectTwoTracks(outDir: string, checkVideo: boolean): Promise<void> {
  const master = await readFile(join(outDir, 'master.m3u8'), 'utf8');
  const media = parseMasterMedia(master);
  expect(media.map((m) => [m.TYPE, m['GROUP-ID'], m.NAME, m.LANGUAGE, m.DEFAULT, m.AUTOSELECT, m.CHANNELS, m.URI])).toEqual([
    ['AUDIO', 'aud', 'English', 'en', 'YES', 'YES', '2', 'audio/index.m3u8'],
    ['AUDIO', 'aud', 'Commentary', 'fr', 'NO', 'NO', '2', 'audio-2/index.m3u8'],
  ]);
  // Every variant plays with the group; its CODECS name the audio too.
  for (const v of parseMaster(master)) {
    expect(v.attrs.AUDIO).toBe('aud');
    expect(v.attrs.CODECS).toContain('mp4a.40.2');
  }
  const [first, second] = await Promise.all(media.map((m) => joinRendition(outDir, m.URI)));
  for (const r of [first, second]) {
    expect(r.segments).toBeGreaterThan(1);
    expect(r.seconds).toBeGreaterThan(7);
    const { stdout } = await run(FFPROBE_PATH, ['-v', 'error', '-show_streams', '-print_format', 'json', r.file]);
    const streams = (JSON.parse(stdout) as { streams: Array<{ codec_type: string; codec_name: string; channels: number }> }).streams;
    expect(streams).toEqual([expect.objectContaining({ codec_type: 'audio', codec_name: 'aac', channels: 2 })]);
    // Decodes to the end without an error.
    await run(FFMPEG_PATH, ['-v', 'error', '-xerror', '-i', r.file, '-f', 'null', '-']);
  }
  // A/V start alignment holds for every track (hls-pipeline.test.ts): the first video frame is presented
  // when each track's first sample after the AAC priming plays, as an MSE player times them.
  const variant = parseMaster(master)[0];
  const videoDir = join(outDir, dirname(variant.uri));
  const videoPlaylist = parseMediaPlaylist(await readFile(join(outDir, variant.uri), 'utf8'));
  const videoFirst = firstSampleTime(
    await readFile(join(videoDir, videoPlaylist.map!)),
    await readFile(join(videoDir, videoPlaylist.segments[0].uri)),
  );
  const audioFirsts: number[] = [];
  for (const m of media) {
    const dir = join(outDir, dirname(m.URI));
    const playlist = parseMediaPlaylist(await readFile(join(outDir, m.URI), 'utf8'));
    audioFirsts.push(firstSampleTime(await readFile(join(dir, playlist.map!)), await readFile(join(dir, playlist.segments[0].uri))));
  }
  // Every track starts where the main one does...
  for (const t of audioFirsts) expect(Math.abs(t - audioFirsts[0]) * 1000).toBeLessThan(1);
  // ...and, in the single pass, with the video. (The chunked encode's own offset is not this issue's: see the report.)
  if (checkVideo) {
    const audioContent = audioFirsts[0] + 1024 / 48000;
    expect(Math.abs(videoFirst - audioContent) * 1000, `video ${videoFirst} s, audio content ${audioContent} s`).toBeLessThan(10);
  }
  // The renditions really are the two source tracks: 440 Hz and 880 Hz.
  expect(Math.abs((await toneFrequency(first.file)) - 440)).toBeLessThan(10);
  expect(Math.abs((await toneFrequency(second.file)) - 880)).toBeLessThan(10);
}

describe('several audio tracks (real ffmpeg)', () => {
  it('the single pass writes one rendition per track, encoded once, named and tagged from the source', async () => {
    const outDir = join(scratch, 'single', 'hls');
    const playable: number[] = [];
    const result = await transcodeToHls({
      sourcePath: clip,
      outDir,
      ffmpegPath: FFMPEG_PATH,
      ffprobePath: FFPROBE_PATH,
      maxHeight: 240,
      threads: 1,
      limits,
      onPlayable: ({ durationSec }) => playable.push(durationSec),
    });
    expect(playable).toHaveLength(1);
    expect(result.info.audioTracks).toHaveLength(2);
    await expectTwoTracks(outDir, true);
  }, 300_000);

  it('the chunked encode makes one audio part per track and the same master', async () => {
    const root = join(scratch, 'chunked');
    const storage = new LocalDiskStorage(root);
    const logger = pino({ level: 'warn' });
    const chunked = new ChunkedTranscoder({
      storage,
      runner: new FfmpegRunner(),
      probe: probeMedia,
      ffmpegPath: FFMPEG_PATH,
      ffprobePath: FFPROBE_PATH,
      lock: new InProcessLock(),
      logger,
    });
    const job = {
      sourcePath: clip,
      outKey: 'm/hls',
      maxHeight: 240,
      chunkSec: 4,
      firstSegmentSec: 1 as const,
      limits,
      threads: 1,
      publishPollMs: 100,
    };
    const decision = await chunked.decide(clip, limits, { thresholdSec: 4, chunkSec: 4 }, 1);
    expect(decision.spans?.length).toBe(2);
    const parts: Array<{ part: 'audio' | number; audioTrack?: number }> = [
      { part: 'audio' },
      { part: 'audio', audioTrack: 1 },
      { part: 0 },
      { part: 1 },
    ];
    // Parts in any order, as workers take them: the video first here.
    for (const p of [...parts].reverse()) await chunked.encodePart({ ...job, ...p });
    await expect(chunked.encodePart({ ...job, part: 'audio', audioTrack: 2 })).rejects.toThrow(/no audio track 2/);
    await chunked.assemble(job);
    await expectTwoTracks(storage.localPath('m/hls'), false);
  }, 300_000);
});
