import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FfmpegError, type FfmpegRun, type FfmpegRunOptions } from '../ffmpeg/ffmpeg-runner.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import type { TranscodeLimits } from '../ffmpeg/media-limits.js';
import { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';
import type { ProbeOptions } from '../ffmpeg/probe.js';
import { MemoryStorage } from '../storage/memory.storage.js';
import { TranscodePipeline, type TranscodeRequest } from './transcode-pipeline.js';

// The pipeline with a faked ffmpeg that writes what the real one would (EVENT playlists, fMP4 init
// segments with an avcC box, segments, JPEGs) into an in-memory storage. Real ffmpeg runs in
// test/integration (hls-pipeline, pipeline-outputs); here every branch of the orchestration is reachable.

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}
const u32 = (...values: number[]) => Buffer.concat(values.map((v) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])));
/** ftyp + moov/.../avc1/avcC for H.264 High 3.1 (CODECS avc1.64001f), mdhd timescale 1000, trex defaults. */
const INIT = (() => {
  const avcC = box('avcC', Buffer.from([1, 0x64, 0x00, 0x1f, 0xff, 0xe1, 0x00, 0x00]));
  const stsd = box('stsd', Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), box('avc1', Buffer.alloc(78), avcC));
  const mdhd = box('mdhd', u32(0, 0, 0, 1000, 0), Buffer.alloc(4));
  const trex = box('trex', u32(0, 1, 1, 0, 0, 0x10000));
  const moov = box(
    'moov',
    box('mvhd', Buffer.alloc(100)),
    box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', mdhd, box('minf', box('stbl', stsd)))),
    box('mvex', trex),
  );
  return Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0', 'latin1')), moov]);
})();
/**
 * A 2 s fMP4 segment of `bytes` bytes: moof (tfhd, tfdt, trun with one 2000-tick sync sample covering the
 * media data, default-base-is-moof) and mdat.
 */
function segment(index: number, bytes: number): Buffer {
  const moofSize = 96; // moof 8 + mfhd 16 + traf 8 + tfhd 16 + tfdt 16 + trun 32
  const dataSize = bytes - moofSize - 8;
  const mfhd = box('mfhd', u32(0, index + 1));
  const tfhd = box('tfhd', u32(0x020000, 1));
  const tfdt = box('tfdt', u32(0, index * 2000));
  // data_offset, first_sample_flags (sync), per-sample duration and size.
  const trun = box('trun', u32(0x000305, 1, moofSize + 8, 0x02000000, 2000, dataSize));
  const moof = box('moof', mfhd, box('traf', tfhd, tfdt, trun));
  if (moof.length !== moofSize) throw new Error(`moof is ${moof.length}`);
  return Buffer.concat([moof, box('mdat', Buffer.alloc(dataSize))]);
}

type Kind = 'encode' | 'poster' | 'storyboard';
const kindOf = (args: readonly string[]): Kind =>
  args.includes('-var_stream_map') ? 'encode' : args.some((a) => a.includes('tile=')) ? 'storyboard' : 'poster';

/** Stands in for FfmpegRunner: records every run and writes plausible output unless a run is scripted. */
class FakeFfmpeg implements FfmpegRun {
  readonly runs: Array<{ kind: Kind; opts: FfmpegRunOptions }> = [];
  readonly script: Partial<Record<Kind, Array<(opts: FfmpegRunOptions) => Promise<void>>>> = {};
  /** The encode waits here after its first segments, as a real encode is still running then. */
  midEncode: Promise<void> = Promise.resolve();
  segmentBytes = [250_000, 500_000];

  constructor(private readonly storage: MemoryStorage) {}

  async run(opts: FfmpegRunOptions): Promise<void> {
    const kind = kindOf(opts.args);
    this.runs.push({ kind, opts });
    const scripted = this.script[kind]?.shift();
    if (scripted) return scripted(opts);
    if (kind !== 'encode') return this.storage.putLocal(opts.args.at(-1)!, 'JPEG');
    const map = opts.args[opts.args.indexOf('-var_stream_map') + 1];
    const names = map.split(' ').map((v) => /name:(\w+)/.exec(v)![1]);
    const template = opts.args.at(-1)!;
    const audioOnly = names.length === 1 && names[0] === 'audio';
    const writeRung = (name: string, segments: number) => {
      const playlist = template.replace('%v', name);
      const dir = playlist.slice(0, playlist.lastIndexOf('/'));
      this.storage.putLocal(`${dir}/init.mp4`, INIT);
      const lines = [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        // As ffmpeg computes it, from the segments listed so far: 1 while only a 1 s one is listed.
        `#EXT-X-TARGETDURATION:${segments > 1 || name === 'audio' ? 2 : 1}`,
        '#EXT-X-PLAYLIST-TYPE:EVENT',
        `#EXT-X-MAP:URI="${names.length > 1 ? `../${name}/` : ''}init.mp4"`,
      ];
      for (let i = 0; i < segments; i++) {
        this.storage.putLocal(`${dir}/seg_0000${i}.m4s`, segment(i, audioOnly || name === 'audio' ? 32_000 : this.segmentBytes[i]));
        lines.push('#EXTINF:2.000000,', `seg_0000${i}.m4s`);
      }
      this.storage.putLocal(playlist, `${lines.join('\n')}\n`);
    };
    for (const n of names) writeRung(n, 1);
    opts.onProgress?.(50);
    await this.midEncode;
    for (const n of names) writeRung(n, 2);
    opts.onProgress?.(100);
  }

  kinds(): Kind[] {
    return this.runs.map((r) => r.kind);
  }
}

const VIDEO: MediaInfo = {
  durationSec: 4,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  streamCount: 2,
  video: { index: 0, codec: 'h264', width: 1280, height: 720, fps: 30, frameRate: '30/1', pixFmt: 'yuv420p', rotation: 0 },
  audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
};
const AUDIO: MediaInfo = {
  durationSec: 4,
  formatName: 'mp3',
  streamCount: 1,
  audio: { index: 0, codec: 'mp3', channels: 2, sampleRate: 44100 },
};
const LIMITS: TranscodeLimits = {
  maxDurationSec: 3600,
  maxWidth: 4096,
  maxHeight: 4096,
  maxFps: 120,
  maxStreams: 16,
  timeoutMs: 600_000,
  probeTimeoutMs: 20_000,
  artworkTimeoutMs: 30_000,
};
const OUT = 'm1/hls';

interface LogLine {
  level: number;
  msg: string;
  step?: string;
  reason?: string;
  reasons?: string[];
  mediaId?: string;
}

describe(TranscodePipeline.name, () => {
  let storage: MemoryStorage;
  let ffmpeg: FakeFfmpeg;
  let probes: ProbeOptions[];
  let info: MediaInfo;
  let lines: LogLine[];
  let pipeline: TranscodePipeline;
  const request = (over: Partial<TranscodeRequest> = {}): TranscodeRequest => ({
    sourcePath: '/memory/m1/source',
    outKey: OUT,
    maxHeight: 1080,
    limits: LIMITS,
    playablePollMs: 1,
    log: pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as LogLine) }).child({ mediaId: 'm1' }),
    ...over,
  });
  const warnings = () => lines.filter((l) => l.level === 40);

  beforeEach(() => {
    storage = new MemoryStorage();
    ffmpeg = new FakeFfmpeg(storage);
    probes = [];
    info = VIDEO;
    lines = [];
    pipeline = new TranscodePipeline({
      storage,
      runner: ffmpeg,
      probe: async (o) => {
        probes.push(o);
        return info;
      },
      ffmpegPath: '/usr/bin/ffmpeg',
      ffprobePath: '/usr/bin/ffprobe',
      logger: pino({ level: 'silent' }),
    });
  });
  afterEach(() => {
    expect([...storage.files.keys()].filter((k) => k.endsWith('.tmp'))).toEqual([]);
  });

  it('probes with its own limit, empties the output, encodes once, then writes poster and storyboard with theirs', async () => {
    storage.files.set(`${OUT}/stale.txt`, Buffer.from('from an earlier attempt'));
    const result = await pipeline.run(request());
    expect(probes).toEqual([{ ffprobePath: '/usr/bin/ffprobe', sourcePath: '/memory/m1/source', timeoutMs: 20_000 }]);
    expect(storage.deletedPrefixes).toEqual([OUT]);
    expect(storage.files.has(`${OUT}/stale.txt`)).toBe(false);
    expect(ffmpeg.kinds()).toEqual(['encode', 'poster', 'storyboard']);
    expect(ffmpeg.runs.map((r) => [r.opts.ffmpegPath, r.opts.timeoutMs, r.opts.niceness])).toEqual([
      ['/usr/bin/ffmpeg', 600_000, 10],
      ['/usr/bin/ffmpeg', 30_000, 15],
      ['/usr/bin/ffmpeg', 30_000, 15],
    ]);
    expect(result).toMatchObject({ kind: 'video', poster: true, storyboard: true, masterPlaylist: '/memory/m1/hls/master.m3u8' });
    expect(
      Object.keys(Object.fromEntries(storage.files))
        .filter((k) => !['/high/', '/medium/', '/low/', '/audio/'].some((rung) => k.includes(rung)))
        .sort(),
    ).toEqual([`${OUT}/master.m3u8`, `${OUT}/poster.jpg`, `${OUT}/storyboard.jpg`, `${OUT}/storyboard.vtt`]);
    // What ffmpeg wrote is published (to S3; a no-op on disk): the output folder while and after the
    // encode, each image before it is checked and renamed into place.
    expect(storage.published).toContain(OUT);
    expect(storage.published).toEqual(expect.arrayContaining([`${OUT}/.poster.jpg.tmp`, `${OUT}/.storyboard.jpg.tmp`]));
  });

  it('publishes the master while ffmpeg still encodes, then rewrites every rung as VOD with the measured bandwidth', async () => {
    let atPlayable: { master: string; playlist: string; durationSec: number } | undefined;
    let finishEncode = () => undefined as void;
    ffmpeg.midEncode = new Promise<void>((r) => (finishEncode = r));
    const progress: number[] = [];
    const result = await pipeline.run(
      request({
        onProgress: (p) => progress.push(p),
        onPlayable: ({ durationSec }) => {
          atPlayable = {
            master: storage.files.get(`${OUT}/master.m3u8`)!.toString(),
            playlist: storage.files.get(`${OUT}/high/index.m3u8`)!.toString(),
            durationSec,
          };
          finishEncode();
        },
      }),
    );
    expect(atPlayable!.master).toContain('CODECS="avc1.64001f,mp4a.40.2"');
    expect(atPlayable!.playlist).not.toContain('#EXT-X-ENDLIST');
    // ffmpeg's own playlist said 1 then (a 1 s segment listed); the served one has the grid's target from
    // the first read on, and keeps it (HlsPublisher.servePlaylists).
    expect(atPlayable!.playlist).toContain('#EXT-X-TARGETDURATION:2');
    // The probed length comes with it: the room and the players know the whole duration from the start.
    expect(atPlayable!.durationSec).toBe(4);
    const high = storage.files.get(`${OUT}/high/index.m3u8`)!.toString();
    expect(high).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(high).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(high.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(high).toContain('#EXT-X-TARGETDURATION:2');
    // ffmpeg's own playlists are gone; only the served ones remain.
    expect([...storage.files.keys()].filter((k) => k.endsWith('.part'))).toEqual([]);
    // Peak of 250 kB and 500 kB segments of 2 s: 2 Mb/s, plus the shared audio's 128 kb/s.
    expect(result.renditions.map((r) => [r.name, r.bitrate])).toEqual([
      ['high', 2_128_000],
      ['medium', 2_128_000],
      ['low', 2_128_000],
    ]);
    // The shared audio rendition: EXT-X-MEDIA in group "aud", every variant names it and counts its rate in
    // (32 kB per 2 s = 128 kb/s on top of 2 Mb/s).
    const master = storage.files.get(`${OUT}/master.m3u8`)!.toString();
    expect(master).toContain(
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Main",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"',
    );
    expect(master).toContain('BANDWIDTH=2128000,AVERAGE-BANDWIDTH=1628000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720');
    expect(master.match(/AUDIO="aud"/g)).toHaveLength(3);
    expect(storage.files.get(`${OUT}/audio/index.m3u8`)!.toString()).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    // One I-frame playlist per video rung: each segment's moof + its sync sample, as byte ranges.
    expect(master).toContain(
      '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=2000000,AVERAGE-BANDWIDTH=1500000,CODECS="avc1.64001f",RESOLUTION=1280x720,URI="high/iframes.m3u8"',
    );
    expect(master.match(/#EXT-X-I-FRAME-STREAM-INF:/g)).toHaveLength(3);
    expect(storage.files.get(`${OUT}/high/iframes.m3u8`)!.toString()).toContain(
      ['#EXT-X-I-FRAMES-ONLY', '#EXT-X-MAP:URI="init.mp4"', '#EXTINF:2.000000,', '#EXT-X-BYTERANGE:250000@0', 'seg_00000.m4s'].join('\n'),
    );
    expect(storage.files.has(`${OUT}/audio/iframes.m3u8`)).toBe(false);
    // ffmpeg's own 100 is held back until the output is complete.
    expect(progress).toEqual([50, 99.9, 100]);
  });

  it('keeps encoding when publishing early fails, and logs it as a warning (no unhandled rejection meanwhile)', async () => {
    let finishEncode = () => undefined as void;
    ffmpeg.midEncode = new Promise<void>((r) => (finishEncode = r));
    const write = storage.write.bind(storage);
    let failed = false;
    storage.write = async (key, data) => {
      if (key !== `${OUT}/master.m3u8` || failed) return write(key, data);
      failed = true;
      // The encode goes on past this turn, so a rejection nobody handles yet would be reported.
      setImmediate(finishEncode);
      throw new Error('EIO: the disk said no');
    };
    const result = await pipeline.run(request());
    expect(failed).toBe(true);
    expect(result).toMatchObject({ kind: 'video', poster: true, storyboard: true });
    expect(warnings()).toEqual([
      expect.objectContaining({ msg: 'could not publish the stream while encoding', reason: 'EIO: the disk said no' }),
    ]);
  });

  it('announces playable once and the poster once, after playable', async () => {
    const events: string[] = [];
    await pipeline.run(request({ onPlayable: () => events.push('playable'), onPoster: () => events.push('poster') }));
    expect(events).toEqual(['playable', 'poster']);
  });

  it('still draws the poster when the encode ended before its first segments were seen', async () => {
    const events: string[] = [];
    await pipeline.run(
      request({ playablePollMs: 60_000, onPlayable: () => events.push('playable'), onPoster: () => events.push('poster') }),
    );
    expect(events).toEqual(['playable', 'poster']);
    expect(ffmpeg.kinds()).toEqual(['encode', 'poster', 'storyboard']);
  });

  it('falls back to the first frame when the poster pick fails, and logs the failed try with its reason', async () => {
    ffmpeg.script.poster = [
      async () => {
        throw new FfmpegError('ffmpeg exited with 1: Invalid data found when processing input', 'exit', 'Invalid data', 1);
      },
    ];
    const result = await pipeline.run(request());
    expect(result.poster).toBe(true);
    expect(ffmpeg.runs.filter((r) => r.kind === 'poster').map((r) => r.opts.args[r.opts.args.indexOf('-ss') + 1])).toEqual([
      '0.400',
      '0.000',
    ]);
    expect(lines.find((l) => l.msg === 'poster try failed')).toMatchObject({
      step: 'poster',
      mediaId: 'm1',
      reason: '10 % in: ffmpeg exited with 1: Invalid data found when processing input',
    });
    expect(warnings()).toEqual([]);
  });

  it('completes without a poster when every try fails: a warning names each reason, and the media is not failed', async () => {
    ffmpeg.script.poster = [
      async () => {
        throw new FfmpegError('ffmpeg exited with 1: moov atom not found', 'exit', '', 1);
      },
      async () => undefined, // exits 0 but writes nothing
    ];
    let posterAnnounced = false;
    const result = await pipeline.run(request({ onPoster: () => (posterAnnounced = true) }));
    expect(result).toMatchObject({ poster: false, storyboard: true });
    expect(posterAnnounced).toBe(false);
    expect(warnings()).toEqual([
      expect.objectContaining({
        msg: 'no poster: every try failed; the media is ready without one',
        step: 'poster',
        mediaId: 'm1',
        reasons: ['10 % in: ffmpeg exited with 1: moov atom not found', 'first frame: ffmpeg wrote no image'],
      }),
    ]);
    expect(storage.files.has(`${OUT}/poster.jpg`)).toBe(false);
  });

  it('completes without a storyboard when it fails, with a warning and the reason', async () => {
    ffmpeg.script.storyboard = [
      async () => {
        throw new FfmpegError('ffmpeg ran longer than 30 s and was stopped', 'timeout', '', null);
      },
    ];
    const result = await pipeline.run(request());
    expect(result).toMatchObject({ poster: true, storyboard: false });
    expect(warnings()).toEqual([
      expect.objectContaining({
        msg: 'no storyboard; the media is ready without one',
        step: 'storyboard',
        reason: 'ffmpeg ran longer than 30 s and was stopped',
      }),
    ]);
    expect(storage.files.has(`${OUT}/storyboard.vtt`)).toBe(false);
  });

  it('makes audio-only media one audio rung with a waveform poster and, by design, no storyboard', async () => {
    info = AUDIO;
    const result = await pipeline.run(request());
    expect(result).toMatchObject({ kind: 'audio', renditions: [], poster: true, storyboard: false });
    expect(ffmpeg.kinds()).toEqual(['encode', 'poster']);
    expect(ffmpeg.runs[1].opts.args.join(' ')).toContain('showwavespic');
    expect(storage.files.get(`${OUT}/master.m3u8`)!.toString()).toContain('CODECS="mp4a.40.2"');
    expect(warnings()).toEqual([]);
  });

  it('refuses media outside the limits before touching the output', async () => {
    info = { ...VIDEO, streamCount: 40 };
    await expect(pipeline.run(request())).rejects.toThrow(
      new MediaRejectedError('This file has 40 streams; we accept at most 16. Remove extra tracks and try again.'),
    );
    expect(storage.deletedPrefixes).toEqual([]);
    expect(ffmpeg.runs).toEqual([]);
  });

  it('turns an encode killed by its time limit into a rejection (a retry would be killed again) and removes the output', async () => {
    ffmpeg.script.encode = [
      async () => {
        throw new FfmpegError('ffmpeg ran longer than 600 s and was stopped', 'timeout', '', null);
      },
    ];
    await expect(pipeline.run(request())).rejects.toThrow(
      new MediaRejectedError('This file took longer than 10 min to convert, so we stopped. Try a shorter or smaller file.'),
    );
    expect(storage.deletedPrefixes).toEqual([OUT, OUT]);
    expect(storage.files.size).toBe(0);
  });

  it('removes the partial output when the job is aborted mid-encode, stopping the poster', async () => {
    const abort = new AbortController();
    let release = () => undefined as void;
    ffmpeg.midEncode = new Promise<void>((r) => (release = r));
    ffmpeg.script.poster = [
      (opts) =>
        new Promise<void>((_, reject) =>
          opts.signal?.addEventListener('abort', () => reject(new FfmpegError('ffmpeg was cancelled', 'aborted', ''))),
        ),
    ];
    const run = pipeline.run(
      request({
        signal: abort.signal,
        onPlayable: () => {
          setTimeout(() => {
            abort.abort();
            release();
          }, 5);
        },
      }),
    );
    await expect(run).rejects.toThrow();
    expect(storage.files.size).toBe(0);
    expect(ffmpeg.runs.find((r) => r.kind === 'poster')!.opts.signal!.aborted).toBe(true);
    expect(warnings()).toEqual([]);
  });

  it('does nothing for a job already aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(pipeline.run(request({ signal: abort.signal }))).rejects.toThrow();
    expect(probes).toEqual([]);
  });
});
