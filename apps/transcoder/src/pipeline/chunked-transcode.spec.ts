import { dirname } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { FfmpegRun, FfmpegRunOptions } from '../ffmpeg/ffmpeg-runner.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { parseMediaPlaylist } from '../ffmpeg/media-playlist.js';
import { MemoryStorage } from '../storage/memory.storage.js';
import { ChunkedTranscoder, type ChunkPartRequest } from './chunked-transcode.js';
import { InProcessLock } from './publish-lock.js';

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** A minimal H.264 init segment (ftyp, moov ... avcC): enough for CODECS. */
const INIT = (() => {
  const avcC = box('avcC', Buffer.from([1, 0x64, 0x00, 0x1f, 0xff, 0xe1, 0x00, 0x00]));
  const stsd = box('stsd', Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), box('avc1', Buffer.alloc(78), avcC));
  const moov = box(
    'moov',
    box('mvhd', Buffer.alloc(100)),
    box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', box('minf', box('stbl', stsd)))),
  );
  return Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0', 'latin1')), moov]);
})();

const DURATION = 100;
const INFO: MediaInfo = {
  durationSec: DURATION,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  streamCount: 2,
  video: { index: 0, codec: 'h264', width: 640, height: 480, fps: 30, frameRate: '30/1', pixFmt: 'yuv420p', rotation: 0 },
  audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
};

const playlist = (first: number, count: number, map: string) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    '#EXT-X-TARGETDURATION:2',
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    `#EXT-X-MAP:URI="${map}"`,
    ...Array.from({ length: count }, (_, i) => [`#EXTINF:2.000000,`, `seg_${String(first + i).padStart(5, '0')}.m4s`]).flat(),
    '',
  ].join('\n');

/** Writes what ffmpeg would for a chunk (stage playlists and init, segments in the rung folders) or the audio. */
class FakeFfmpeg implements FfmpegRun {
  readonly runs: string[][] = [];
  constructor(private readonly storage: MemoryStorage) {}

  run(opts: FfmpegRunOptions): Promise<void> {
    const args = [...opts.args];
    this.runs.push(args);
    const names = args[args.indexOf('-var_stream_map') + 1].split(' ').map((s) => s.split('name:')[1]);
    const out = args.at(-1)!;
    if (!args.includes('-copyts')) {
      const folder = dirname(dirname(out));
      this.storage.putLocal(`${folder}/audio/init.mp4`, 'a');
      for (let i = 0; i < DURATION / 2; i++) this.storage.putLocal(`${folder}/audio/seg_${String(i).padStart(5, '0')}.m4s`, 'a');
      this.storage.putLocal(`${folder}/audio/index.m3u8`, playlist(0, DURATION / 2, 'init.mp4'));
      return Promise.resolve();
    }
    const trim = /trim=start=(\d+)(?::end=(\d+))?/.exec(args[args.indexOf('-filter_complex') + 1])!;
    const start = Number(trim[1]);
    // A chunk that forces the short first segment's keyframe (segment-grid.ts) writes one segment more.
    const shortFirst = args[args.indexOf('-force_key_frames') + 1].startsWith('expr:if(') ? 1 : 0;
    const count = ((trim[2] ? Number(trim[2]) : DURATION) - start) / 2 + shortFirst;
    const first = Number(args[args.indexOf('-start_number') + 1]);
    const stage = dirname(dirname(out));
    const served = dirname(args[args.indexOf('-hls_segment_filename') + 1].replace('%v', 'x'));
    for (const name of names) {
      for (let i = 0; i < count; i++)
        this.storage.putLocal(`${dirname(served)}/${name}/seg_${String(first + i).padStart(5, '0')}.m4s`, 'v');
      this.storage.putLocal(`${stage}/${name}/init.mp4`, INIT);
      this.storage.putLocal(`${stage}/${name}/index.m3u8`, playlist(first, count, `../${name}/init.mp4`));
    }
    return Promise.resolve();
  }
}

function setup() {
  const storage = new MemoryStorage();
  const ffmpeg = new FakeFfmpeg(storage);
  const chunked = new ChunkedTranscoder({
    storage,
    runner: ffmpeg,
    probe: () => Promise.resolve(INFO),
    ffmpegPath: 'ffmpeg',
    ffprobePath: 'ffprobe',
    lock: new InProcessLock(),
    logger: pino({ level: 'silent' }),
  });
  const playable: Array<number | 'audio'> = [];
  const part = (p: number | 'audio'): Promise<unknown> => {
    const req: ChunkPartRequest = {
      sourcePath: '/memory/m1/source',
      outKey: 'm1/hls',
      maxHeight: 1080,
      chunkSec: 50,
      firstSegmentSec: 1,
      limits: { maxDurationSec: 3600, maxWidth: 4096, maxHeight: 4096, maxFps: 120, maxStreams: 8, timeoutMs: 60_000 },
      part: p,
      publishPollMs: 5,
      onPlayable: () => playable.push(p),
    };
    return chunked.encodePart(req);
  };
  const served = async (rung: string) =>
    (await storage.size(`m1/hls/${rung}/index.m3u8`)) === undefined
      ? []
      : parseMediaPlaylist(await storage.readText(`m1/hls/${rung}/index.m3u8`)).segments.map((s) => s.uri);
  return { storage, ffmpeg, part, served, playable };
}

const segs = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `seg_${String(from + i).padStart(5, '0')}.m4s`);

describe(ChunkedTranscoder.name, () => {
  it('publishes the chunks in order whatever order they finish in, and the master once audio and video have begun', async () => {
    const { storage, part, served, playable } = setup();
    // 100 s in 50 s chunks: [0, 50), [50, end); chunk 0 holds the 1 s first segment, so 26 segments, and
    // chunk 1 starts at number 26.
    await part(1);
    expect(await served('high')).toEqual([]);
    await part(0);
    expect(await served('high')).toEqual(segs(0, 51));
    expect(await served('medium')).toEqual(segs(0, 51));
    expect(await storage.readText('m1/hls/high/index.m3u8')).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect((await storage.read('m1/hls/high/init.mp4')).equals(INIT)).toBe(true);
    // No audio yet: not playable.
    expect(await storage.size('m1/hls/master.m3u8')).toBeUndefined();
    await part('audio');
    expect(playable).toEqual(['audio']);
    const master = await storage.readText('m1/hls/master.m3u8');
    expect(master).toContain('TYPE=AUDIO');
    expect(master).toContain('high/index.m3u8');
  });

  it('serves the first chunk while the second is still missing, and never shortens a served playlist', async () => {
    const { storage, part, served } = setup();
    await part('audio');
    await part(0);
    expect(await served('high')).toEqual(segs(0, 26));
    expect(await storage.size('m1/hls/master.m3u8')).toBeGreaterThan(0);
    // A redo of chunk 0 (a worker died after it finished) starts from an empty stage: the served playlist
    // keeps its segments meanwhile.
    await storage.deletePrefix('m1/hls/parts/0');
    await part(1);
    expect(await served('high')).toEqual(segs(0, 26));
    await part(0);
    expect(await served('high')).toEqual(segs(0, 51));
  });

  it('encodes a chunk video-only from its span, and the audio once for the whole file', async () => {
    const { ffmpeg, part } = setup();
    await part(1);
    await part('audio');
    const [chunk, audio] = ffmpeg.runs;
    expect(chunk).not.toContain('-c:a');
    expect(chunk[chunk.indexOf('-filter_complex') + 1]).toContain('trim=start=50,');
    // Numbered after chunk 0's 26 segments (the 1 s first one, then 2 s ones), with the plain 2 s keyframe grid.
    expect(chunk[chunk.indexOf('-start_number') + 1]).toBe('26');
    expect(chunk[chunk.indexOf('-force_key_frames') + 1]).toBe('expr:gte(t,n_forced*2)');
    expect(audio).toContain('-c:a');
    expect(audio).not.toContain('-filter_complex');
  });

  it('refuses a chunk that is not in the plan', async () => {
    const { part } = setup();
    await expect(part(7)).rejects.toThrow(/chunk 7 is not in the plan/);
  });
});
