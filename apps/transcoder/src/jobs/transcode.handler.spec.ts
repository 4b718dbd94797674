import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { JOB_QUEUES, JobName, jobSchemas, MEDIA_QUEUE, transcodeChunkJobSchema, type Rendition } from '@reelroom/contracts';
import { loadConfig } from '../config/config.js';
import { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';
import type { MediaResult, MediaState, MediaStateStore } from '../media/media-state.repository.js';
import type { HlsTranscoder, TranscodeRequest, TranscodeResult } from '../pipeline/transcode-pipeline.js';
import { LocalDiskStorage } from '../storage/local-disk.storage.js';
import { MemoryStorage } from '../storage/memory.storage.js';
import type { SubtitleExtraction } from './embedded-subtitles.js';
import { FINAL_FAILURE } from './job-failure.js';
import { TranscodeHandler } from './transcode.handler.js';
import {
  JobCancelledError,
  JobParkedError,
  JobTimeoutError,
  PermanentJobError,
  type ChildJob,
  type JobContext,
  type JobFlow,
} from './job-context.js';
import type { ChunkDecision, ChunkedTranscode, ChunkPartResult } from '../pipeline/chunked-transcode.js';

const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
const ROOM = 'r'.repeat(22);

type Row = MediaState & {
  progress: number;
  error: string | null;
  renditions?: Rendition[];
  playable?: boolean;
  hasPoster?: boolean;
  hasStoryboard?: boolean;
  kind?: string;
};

/** The state machine of MediaStateRepository, in memory, with the same guards. */
class FakeState implements MediaStateStore {
  row: Row | null = { id: MEDIA, roomId: ROOM, status: 'queued', progress: 0, error: null };
  progressWrites: number[] = [];
  etaWrites: Array<number | null> = [];
  /** Row snapshots at each reported stateChanged, to prove the write came before the doorbell. */
  log: string[] = [];
  async markPlayable(_id: string, durationSec: number) {
    if (this.row?.status !== 'processing' || this.row.playable) return false;
    this.row.playable = true;
    this.log.push(`playable, ${durationSec} s long`);
    return true;
  }
  async setArtwork(_id: string, a: { hasPoster?: boolean; hasStoryboard?: boolean }) {
    if (this.row?.status !== 'processing') return false;
    Object.assign(this.row, a);
    this.log.push('poster');
    return true;
  }
  async find(): Promise<MediaState | null> {
    return this.row ? { id: this.row.id, roomId: this.row.roomId, status: this.row.status } : null;
  }
  async startProcessing() {
    if (!this.row || !['queued', 'processing'].includes(this.row.status)) return false;
    this.row.status = 'processing';
    return true;
  }
  async setProgress(_id: string, p: number, eta: number | null = null) {
    this.progressWrites.push(p);
    this.etaWrites.push(eta);
  }
  async markReady(_id: string, r: MediaResult) {
    if (this.row?.status !== 'processing') return false;
    Object.assign(this.row, {
      status: 'ready',
      progress: 100,
      renditions: r.renditions,
      kind: r.kind,
      hasPoster: r.hasPoster,
      hasStoryboard: r.hasStoryboard,
    });
    return true;
  }
  async markFailed(_id: string, error: string) {
    if (this.row && ['queued', 'processing'].includes(this.row.status)) Object.assign(this.row, { status: 'failed', error });
  }
  async requeue() {
    if (this.row?.status === 'processing') this.row.status = 'queued';
  }
}

/** The pipeline as a function the test writes, recording each request. */
class FakeTranscoder implements HlsTranscoder {
  readonly requests: TranscodeRequest[] = [];
  constructor(private readonly behave: (req: TranscodeRequest) => Promise<TranscodeResult>) {}
  run(req: TranscodeRequest): Promise<TranscodeResult> {
    this.requests.push(req);
    return this.behave(req);
  }
}

const result: TranscodeResult = {
  info: {
    durationSec: 10,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    streamCount: 2,
    video: { index: 0, codec: 'h264', width: 1280, height: 720, fps: 30, frameRate: '30/1', pixFmt: 'yuv420p', rotation: 0 },
  },
  renditions: [
    { name: 'high', width: 1280, height: 720, bitrate: 3_000_000 },
    { name: 'medium', width: 854, height: 480, bitrate: 1_500_000 },
  ],
  masterPlaylist: '/m/master.m3u8',
  kind: 'video',
  poster: true,
  storyboard: true,
};

const ctx = (over: Partial<JobContext> = {}): JobContext & { reported: unknown[] } => {
  const reported: unknown[] = [];
  return {
    id: MEDIA,
    attemptsMade: 0,
    maxAttempts: 2,
    signal: new AbortController().signal,
    reportProgress: async (d) => void reported.push(d),
    reported,
    ...over,
  };
};

describe(TranscodeHandler.name, () => {
  let state: FakeState;
  let calls: TranscodeRequest[];
  const storage = new LocalDiskStorage('/srv/media');
  const make = (fn: (req: TranscodeRequest) => Promise<TranscodeResult>, env: Record<string, string> = {}) =>
    new TranscodeHandler(
      loadConfig({ MEDIA_ROOT: '/srv/media', ...env }),
      pino({ level: 'silent' }),
      state,
      new FakeTranscoder(fn),
      storage,
    );

  beforeEach(() => {
    state = new FakeState();
    calls = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('transcodes from paths derived from the media id only, reports progress, and marks the media ready', async () => {
    const c = ctx();
    await make(async (o) => {
      calls.push(o);
      o.onProgress?.(42);
      return result;
    }).handle({ mediaId: MEDIA, roomId: ROOM }, c);
    expect(calls[0].sourcePath).toBe(`/srv/media/${MEDIA}/source`);
    expect(calls[0].outKey).toBe(`${MEDIA}/hls`);
    expect(storage.localPath(calls[0].outKey)).toBe(`/srv/media/${MEDIA}/hls`);
    expect(calls[0].maxHeight).toBe(1080);
    expect(c.reported).toEqual([
      { mediaId: MEDIA, roomId: ROOM, percent: 0, stateChanged: true },
      // The exact ETA depends on the elapsed time: see the ETA test below.
      { mediaId: MEDIA, roomId: ROOM, percent: 42, etaSec: expect.any(Number) as number },
    ]);
    expect(state.progressWrites).toEqual([42]);
    expect(state.row).toMatchObject({
      status: 'ready',
      progress: 100,
      renditions: result.renditions,
      kind: 'video',
      hasPoster: true,
      hasStoryboard: true,
    });
  });

  it('extracts embedded subtitles from the source with the probe it transcoded, before the media is ready', async () => {
    const seen: Array<{ sourcePath: string; streams: number; statusThen: string | undefined }> = [];
    const extraction: SubtitleExtraction = {
      run: async (req) => {
        seen.push({ sourcePath: req.sourcePath, streams: req.info.subtitles?.length ?? 0, statusThen: state.row?.status });
        return 1;
      },
    };
    const withSubs = { ...result, info: { ...result.info, subtitles: [{ index: 2, codec: 'subrip', language: 'eng' }] } };
    await new TranscodeHandler(
      loadConfig({ MEDIA_ROOT: '/srv/media' }),
      pino({ level: 'silent' }),
      state,
      new FakeTranscoder(async () => withSubs),
      storage,
      undefined,
      extraction,
    ).handle({ mediaId: MEDIA, roomId: ROOM }, ctx());
    expect(seen).toEqual([{ sourcePath: `/srv/media/${MEDIA}/source`, streams: 1, statusThen: 'processing' }]);
    expect(state.row?.status).toBe('ready');
  });

  it('reports an ETA from the pace so far once 2 % is done, and writes it with the progress', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const c = ctx();
    await make(async (o) => {
      o.onProgress?.(1);
      vi.advanceTimersByTime(10_000);
      o.onProgress?.(25);
      return result;
    }).handle({ mediaId: MEDIA, roomId: ROOM }, c);
    expect(c.reported.slice(1)).toEqual([
      { mediaId: MEDIA, roomId: ROOM, percent: 1 },
      { mediaId: MEDIA, roomId: ROOM, percent: 25, etaSec: 30 },
    ]);
    expect(state.etaWrites).toEqual([null, 30]);
  });

  it('marks the media playable while encoding and rings the API after the write, once', async () => {
    const c = ctx();
    let seenWhileEncoding: unknown[] = [];
    await make(async (o) => {
      o.onProgress?.(10);
      o.onPlayable?.({ durationSec: 40 });
      o.onPlayable?.({ durationSec: 40 });
      o.onPoster?.();
      await new Promise((r) => setTimeout(r, 10));
      seenWhileEncoding = [...c.reported];
      return result;
    }).handle({ mediaId: MEDIA, roomId: ROOM }, c);
    expect(state.log).toEqual(['playable, 40 s long', 'poster']);
    const changes = seenWhileEncoding.filter((r) => (r as { stateChanged?: boolean }).stateChanged);
    // started, playable, poster (the second onPlayable changed nothing, so it rang nothing).
    expect(changes).toEqual([
      { mediaId: MEDIA, roomId: ROOM, percent: 0, stateChanged: true },
      { mediaId: MEDIA, roomId: ROOM, percent: 10, stateChanged: true },
      { mediaId: MEDIA, roomId: ROOM, percent: 10, stateChanged: true },
    ]);
    expect(state.row).toMatchObject({ status: 'ready', playable: true, hasPoster: true });
  });

  it('skips media that is already ready, failed or deleted (re-delivered jobs do no work)', async () => {
    const fn = async (o: TranscodeRequest) => {
      calls.push(o);
      return result;
    };
    for (const status of ['ready', 'failed'] as const) {
      state.row!.status = status;
      await make(fn).handle({ mediaId: MEDIA, roomId: ROOM }, ctx());
    }
    state.row = null;
    await make(fn).handle({ mediaId: MEDIA, roomId: ROOM }, ctx());
    expect(calls).toEqual([]);
  });

  it('fails rejected input permanently with the human reason', async () => {
    const handler = make(async () => {
      throw new MediaRejectedError('This file is not a video we can read (no video stream found).');
    });
    await expect(handler.handle({ mediaId: MEDIA, roomId: ROOM }, ctx())).rejects.toBeInstanceOf(PermanentJobError);
    expect(state.row).toMatchObject({ status: 'failed', error: 'This file is not a video we can read (no video stream found).' });
  });

  it('puts a crashed attempt back to queued while retries remain, and fails it on the last one', async () => {
    const boom = make(async () => {
      throw new Error('ffmpeg exited with code 1');
    });
    await expect(boom.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ attemptsMade: 0, maxAttempts: 2 }))).rejects.toThrow('ffmpeg exited');
    expect(state.row?.status).toBe('queued');
    await expect(boom.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ attemptsMade: 1, maxAttempts: 2 }))).rejects.toThrow('ffmpeg exited');
    expect(state.row?.status).toBe('failed');
    expect(state.row?.error).toMatch(/could not convert/);
  });

  it('hands the pipeline every limit from the config, none hard-coded', async () => {
    const env = {
      MAX_SOURCE_WIDTH: '1920',
      MAX_SOURCE_HEIGHT: '1080',
      MAX_SOURCE_PIXELS: '2073600',
      MAX_SOURCE_FPS: '60',
      MAX_SOURCE_STREAMS: '8',
      MAX_DURATION_SEC: '600',
      TRANSCODE_TIMEOUT_SEC: '900',
      PROBE_TIMEOUT_SEC: '20',
      ARTWORK_TIMEOUT_SEC: '30',
    };
    await make(async (o) => {
      calls.push(o);
      return result;
    }, env).handle({ mediaId: MEDIA, roomId: ROOM }, ctx());
    expect(calls[0].limits).toEqual({
      maxWidth: 1920,
      maxHeight: 1080,
      maxPixels: 2_073_600,
      maxFps: 60,
      maxStreams: 8,
      maxDurationSec: 600,
      timeoutMs: 900_000,
      probeTimeoutMs: 20_000,
      artworkTimeoutMs: 30_000,
    });
  });

  it('ends a cancelled job without retry and without writing state: the API already recorded the outcome', async () => {
    const abort = new AbortController();
    const handler = make(async () => {
      abort.abort(new JobCancelledError('cancelled by the uploader'));
      throw new Error('ffmpeg was cancelled');
    });
    await expect(
      handler.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ signal: abort.signal, attemptsMade: 1, maxAttempts: 2 })),
    ).rejects.toBeInstanceOf(PermanentJobError);
    expect(state.row).toMatchObject({ status: 'processing', error: null });
  });

  it('removes the whole media folder when the media was deleted while it encoded (no segment outlives it)', async () => {
    const memory = new MemoryStorage();
    const abort = new AbortController();
    const handler = new TranscodeHandler(
      loadConfig({ MEDIA_ROOT: '/srv/media' }),
      pino({ level: 'silent' }),
      state,
      new FakeTranscoder(async () => {
        state.row = null; // the API deleted the row, then cancelled the job
        abort.abort(new JobCancelledError('media deleted'));
        throw new Error('ffmpeg was cancelled');
      }),
      memory,
    );
    await expect(handler.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ signal: abort.signal }))).rejects.toBeInstanceOf(PermanentJobError);
    expect(memory.deletedPrefixes).toEqual([MEDIA]);
  });

  it('keeps the folder of a cancelled media that still exists (cancel is not delete)', async () => {
    const memory = new MemoryStorage();
    const abort = new AbortController();
    const handler = new TranscodeHandler(
      loadConfig({ MEDIA_ROOT: '/srv/media' }),
      pino({ level: 'silent' }),
      state,
      new FakeTranscoder(async () => {
        abort.abort(new JobCancelledError('cancelled by the uploader'));
        throw new Error('ffmpeg was cancelled');
      }),
      memory,
    );
    await expect(handler.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ signal: abort.signal }))).rejects.toBeInstanceOf(PermanentJobError);
    expect(memory.deletedPrefixes).toEqual([]);
  });

  it('retries a try that ran out of its budget like a crash, and fails it with the sentence on the last try', async () => {
    const timedOut = () => {
      const abort = new AbortController();
      abort.abort(new JobTimeoutError('the try ran longer than its 86400 s budget'));
      return abort.signal;
    };
    const stuck = make(async () => {
      throw new Error('ffmpeg was cancelled');
    });
    await expect(
      stuck.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ signal: timedOut(), attemptsMade: 0, maxAttempts: 2 })),
    ).rejects.not.toBeInstanceOf(PermanentJobError);
    expect(state.row?.status).toBe('queued');
    await expect(
      stuck.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ signal: timedOut(), attemptsMade: 1, maxAttempts: 2 })),
    ).rejects.toThrow('ffmpeg was cancelled');
    expect(state.row).toMatchObject({ status: 'failed', error: FINAL_FAILURE });
  });

  it('marks the media ready without a poster when the pipeline could not draw one, and says so in a warning', async () => {
    type LogLine = { level: number; msg: string; poster?: boolean };
    const lines: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const handler = new TranscodeHandler(
      loadConfig({ MEDIA_ROOT: '/srv/media' }),
      logger,
      state,
      new FakeTranscoder(async () => ({ ...result, poster: false })),
      storage,
    );
    await handler.handle({ mediaId: MEDIA, roomId: ROOM }, ctx());
    expect(state.row).toMatchObject({ status: 'ready', hasPoster: false, hasStoryboard: true });
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({ msg: 'transcode finished without all its artwork', poster: false, mediaId: MEDIA, jobId: MEDIA }),
    ]);
  });
});

/** Chunked encoding as the handler sees it: a decision, and an assembly that returns the stream. */
class FakeChunked implements ChunkedTranscode {
  assembled = 0;
  /** The source each decision probed. */
  decidedOn: string[] = [];
  constructor(
    private readonly spans: number | undefined,
    private readonly audioTracks = 1,
  ) {}
  decide(sourcePath: string): Promise<ChunkDecision> {
    this.decidedOn.push(sourcePath);
    const tracks = Array.from({ length: this.audioTracks }, (_, i) => ({ index: i + 1, codec: 'aac', channels: 2, sampleRate: 48000 }));
    const info = { ...result.info, durationSec: 300, audio: tracks[0], audioTracks: tracks };
    return Promise.resolve(
      this.spans === undefined
        ? { info }
        : { info, spans: Array.from({ length: this.spans }, (_, index) => ({ index, startSec: index * 40, startNumber: index * 20 })) },
    );
  }
  encodePart(): Promise<ChunkPartResult> {
    throw new Error('not the parent');
  }
  assemble(): Promise<TranscodeResult> {
    this.assembled++;
    return Promise.resolve(result);
  }
}

/** Storage that records which keys were downloaded whole (fetchLocal) and which were read in place (inputFor). */
class CountingStorage extends MemoryStorage {
  readonly downloads: string[] = [];
  readonly inPlace: string[] = [];
  override fetchLocal(key: string): Promise<string> {
    this.downloads.push(key);
    return super.fetchLocal(key);
  }
  override async inputFor(key: string): Promise<string> {
    this.inPlace.push(key);
    return `https://bucket.example/${key}?X-Amz-Signature=x`;
  }
}

/** A BullMQ flow in memory: records the children and parks the job as the worker's flow does. */
function fakeFlow(resumed: boolean) {
  const children: ChildJob[][] = [];
  const flow: JobFlow = {
    resumed: () => Promise.resolve(resumed),
    waitForChildren: (c) => {
      children.push([...c]);
      return Promise.reject(new JobParkedError('waiting for children'));
    },
  };
  return { flow, children };
}

describe(`${TranscodeHandler.name} (chunked, issue 11)`, () => {
  let state: FakeState;
  const make = (chunked: FakeChunked, transcoder: FakeTranscoder, storage = new MemoryStorage(), env: Record<string, string> = {}) => {
    storage.files.set(`${MEDIA}/source`, Buffer.from('the upload'));
    return new TranscodeHandler(
      loadConfig({ MEDIA_ROOT: '/srv/media', CHUNK_SEC: '40', CHUNK_THRESHOLD_SEC: '120', ...env }),
      pino({ level: 'silent' }),
      state,
      transcoder,
      storage,
      undefined,
      undefined,
      chunked,
    );
  };
  beforeEach(() => {
    state = new FakeState();
  });

  it('splits a long video: empties the output, then parks with the audio first and the chunks in order as children', async () => {
    const storage = new MemoryStorage();
    await storage.write(`${MEDIA}/hls/high/seg_00000.m4s`, 'left by an earlier try');
    const single = new FakeTranscoder(() => Promise.resolve(result));
    const { flow, children } = fakeFlow(false);
    await expect(make(new FakeChunked(3), single, storage).handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ flow }))).rejects.toBeInstanceOf(
      JobParkedError,
    );
    expect(single.requests).toHaveLength(0);
    expect(await storage.list(`${MEDIA}/hls`)).toEqual([]);
    expect(state.row?.status).toBe('processing');
    const parts = children[0].map((c) => (c.data as { part: unknown }).part);
    expect(parts).toEqual(['audio', 0, 1, 2]);
    // The audio on its own slot (TRANSCODE_AUDIO_CONCURRENCY, default 1): it runs beside chunk 0, not before it.
    expect(children[0].map((c) => c.name)).toEqual([
      JobName.TranscodeAudioPart,
      JobName.TranscodeChunk,
      JobName.TranscodeChunk,
      JobName.TranscodeChunk,
    ]);
    expect(children[0].every((c) => c.jobId.startsWith(`${MEDIA}-`))).toBe(true);
    expect(new Set(children[0].map((c) => c.jobId)).size).toBe(4);
    for (const c of children[0]) expect(jobSchemas[c.name].safeParse(c.data).success).toBe(true);
    // Every part carries the grid the parent planned with (FIRST_SEGMENT_SEC, default 1).
    expect(children[0][1].data).toMatchObject({ mediaId: MEDIA, roomId: ROOM, chunkSec: 40, firstSegmentSec: 1, maxHeight: 1080 });
  });

  it('without an audio slot (TRANSCODE_AUDIO_CONCURRENCY=0) queues the audio parts on the media queue with the chunks', async () => {
    const { flow, children } = fakeFlow(false);
    await expect(
      make(new FakeChunked(2, 2), new FakeTranscoder(() => Promise.resolve(result)), new MemoryStorage(), {
        TRANSCODE_AUDIO_CONCURRENCY: '0',
      }).handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ flow })),
    ).rejects.toBeInstanceOf(JobParkedError);
    expect(children[0].map((c) => [c.name, (c.data as { part: unknown }).part])).toEqual([
      [JobName.TranscodeChunk, 'audio'],
      [JobName.TranscodeChunk, 'audio'],
      [JobName.TranscodeChunk, 0],
      [JobName.TranscodeChunk, 1],
    ]);
    expect(new Set(children[0].map((c) => JOB_QUEUES[c.name]))).toEqual(new Set([MEDIA_QUEUE]));
  });

  it('queues one audio part per audio track (issue 12), each with its own job id, before the chunks', async () => {
    const { flow, children } = fakeFlow(false);
    await expect(
      make(new FakeChunked(2, 3), new FakeTranscoder(() => Promise.resolve(result))).handle(
        { mediaId: MEDIA, roomId: ROOM },
        ctx({ flow }),
      ),
    ).rejects.toBeInstanceOf(JobParkedError);
    const data = children[0].map((c) => c.data as { part: unknown; audioTrack?: number });
    expect(data.map((d) => [d.part, d.audioTrack])).toEqual([
      ['audio', undefined],
      ['audio', 1],
      ['audio', 2],
      [0, undefined],
      [1, undefined],
    ]);
    expect(new Set(children[0].map((c) => c.jobId)).size).toBe(5);
    for (const d of data) expect(transcodeChunkJobSchema.safeParse(d).success).toBe(true);
  });

  it('reads a chunk job queued before the 1 s first segment as the uniform 2 s grid its parent planned', () => {
    const old = { mediaId: MEDIA, roomId: ROOM, part: 3, chunkSec: 40, maxHeight: 1080, startedAt: 0 };
    expect(transcodeChunkJobSchema.parse(old).firstSegmentSec).toBe(2);
    expect(transcodeChunkJobSchema.safeParse({ ...old, firstSegmentSec: 1.5 }).success).toBe(false);
  });

  it('assembles and marks the media ready when it runs again after its children', async () => {
    state.row!.status = 'processing';
    const chunked = new FakeChunked(3);
    const single = new FakeTranscoder(() => Promise.resolve(result));
    await make(chunked, single).handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ flow: fakeFlow(true).flow }));
    expect(chunked.assembled).toBe(1);
    expect(single.requests).toHaveLength(0);
    expect(state.row?.status).toBe('ready');
  });

  it('does not assemble a media that was cancelled or failed while its chunks ran', async () => {
    state.row!.status = 'failed';
    const chunked = new FakeChunked(3);
    await make(chunked, new FakeTranscoder(() => Promise.resolve(result))).handle(
      { mediaId: MEDIA, roomId: ROOM },
      ctx({ flow: fakeFlow(true).flow }),
    );
    expect(chunked.assembled).toBe(0);
  });

  it('downloads the source once per chunked transcode: the decision probes it in place, only the assembly downloads it', async () => {
    const storage = new CountingStorage();
    const chunked = new FakeChunked(3);
    const single = new FakeTranscoder(() => Promise.resolve(result));
    await expect(
      make(chunked, single, storage).handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ flow: fakeFlow(false).flow })),
    ).rejects.toBeInstanceOf(JobParkedError);
    expect(chunked.decidedOn).toEqual([`https://bucket.example/${MEDIA}/source?X-Amz-Signature=x`]);
    expect(storage.downloads).toEqual([]);
    await make(chunked, single, storage).handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ flow: fakeFlow(true).flow }));
    expect(chunked.assembled).toBe(1);
    expect(storage.downloads).toEqual([`${MEDIA}/source`]);
    expect(storage.inPlace).toEqual([`${MEDIA}/source`]);
  });

  it('downloads the source once for a single pass after the decision, and hands it the same file for subtitles', async () => {
    const storage = new CountingStorage();
    const single = new FakeTranscoder(() => Promise.resolve(result));
    await make(new FakeChunked(undefined), single, storage).handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ flow: fakeFlow(false).flow }));
    expect(storage.downloads).toEqual([`${MEDIA}/source`]);
    expect(single.requests[0]?.sourcePath).toBe(storage.localPath(`${MEDIA}/source`));
  });

  it('keeps the single pass for a short video, reusing the probe', async () => {
    const single = new FakeTranscoder(() => Promise.resolve(result));
    const { flow, children } = fakeFlow(false);
    await make(new FakeChunked(undefined), single).handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ flow }));
    expect(children).toEqual([]);
    expect(single.requests[0]?.info?.durationSec).toBe(300);
    expect(state.row?.status).toBe('ready');
  });
});
