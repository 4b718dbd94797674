import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import type { Rendition } from '@reelroom/contracts';
import { loadConfig } from '../config/config.js';
import type { MediaState, MediaStateRepository } from '../media/media-state.repository.js';
import { MediaRejectedError, type TranscodeOptions, type TranscodeResult } from '../ffmpeg/transcode-to-hls.js';
import { TranscodeHandler, type TranscodeFn } from './transcode.handler.js';
import { PermanentJobError, type JobContext } from './job-context.js';

const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
const ROOM = 'r'.repeat(22);

/** The state machine of MediaStateRepository, in memory, with the same guards. */
class FakeState {
  row: (MediaState & { progress: number; error: string | null; renditions?: Rendition[]; playable?: boolean; hasPoster?: boolean; hasStoryboard?: boolean; kind?: string }) | null = { id: MEDIA, roomId: ROOM, status: 'queued', progress: 0, error: null };
  progressWrites: number[] = [];
  etaWrites: Array<number | null> = [];
  /** Row snapshots at each reported stateChanged, to prove the write came before the doorbell. */
  log: string[] = [];
  async markPlayable() {
    if (this.row?.status !== 'processing' || this.row.playable) return false;
    this.row.playable = true;
    this.log.push('playable');
    return true;
  }
  async setArtwork(_id: string, a: { hasPoster?: boolean }) {
    if (this.row?.status !== 'processing') return false;
    Object.assign(this.row, a);
    this.log.push('poster');
    return true;
  }
  async find() { return this.row ? { id: this.row.id, roomId: this.row.roomId, status: this.row.status } : null; }
  async startProcessing() {
    if (!this.row || !['queued', 'processing'].includes(this.row.status)) return false;
    this.row.status = 'processing';
    return true;
  }
  async setProgress(_id: string, p: number, eta: number | null = null) { this.progressWrites.push(p); this.etaWrites.push(eta); }
  async markReady(_id: string, r: { renditions: Rendition[]; kind: string; hasPoster: boolean; hasStoryboard: boolean }) {
    if (this.row?.status !== 'processing') return false;
    Object.assign(this.row, { status: 'ready', progress: 100, renditions: r.renditions, kind: r.kind, hasPoster: r.hasPoster, hasStoryboard: r.hasStoryboard });
    return true;
  }
  async markFailed(_id: string, error: string) {
    if (this.row && ['queued', 'processing'].includes(this.row.status)) Object.assign(this.row, { status: 'failed', error });
  }
  async requeue() { if (this.row?.status === 'processing') this.row.status = 'queued'; }
}

const result: TranscodeResult = {
  info: { durationSec: 10, formatName: 'mov,mp4,m4a,3gp,3g2,mj2', streamCount: 2, video: { codec: 'h264', width: 1280, height: 720, fps: 30, pixFmt: 'yuv420p', rotation: 0 } } as TranscodeResult['info'],
  renditions: [{ name: 'high', width: 1280, height: 720, bitrate: 3_000_000 }, { name: 'medium', width: 854, height: 480, bitrate: 1_500_000 }],
  masterPlaylist: '/m/master.m3u8',
  kind: 'video',
  poster: true,
  storyboard: true,
};

const ctx = (over: Partial<JobContext> = {}): JobContext & { reported: unknown[] } => {
  const reported: unknown[] = [];
  return { id: MEDIA, attemptsMade: 0, maxAttempts: 2, signal: new AbortController().signal, reportProgress: async (d) => void reported.push(d), reported, ...over };
};

describe(TranscodeHandler.name, () => {
  let state: FakeState;
  let calls: TranscodeOptions[];
  const make = (fn: TranscodeFn) => new TranscodeHandler(loadConfig({ MEDIA_ROOT: '/srv/media' }), pino({ level: 'silent' }), state as unknown as MediaStateRepository, fn);

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
    expect(calls[0].outDir).toBe(`/srv/media/${MEDIA}/hls`);
    expect(calls[0].maxHeight).toBe(1080);
    expect(c.reported).toEqual([
      { mediaId: MEDIA, roomId: ROOM, percent: 0, stateChanged: true },
      // The exact ETA depends on the elapsed time: see the ETA test below.
      { mediaId: MEDIA, roomId: ROOM, percent: 42, etaSec: expect.any(Number) },
    ]);
    expect(state.progressWrites).toEqual([42]);
    expect(state.row).toMatchObject({ status: 'ready', progress: 100, renditions: result.renditions, kind: 'video', hasPoster: true, hasStoryboard: true });
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
      o.onPlayable?.();
      o.onPlayable?.();
      o.onPoster?.();
      await new Promise((r) => setTimeout(r, 10));
      seenWhileEncoding = [...c.reported];
      return result;
    }).handle({ mediaId: MEDIA, roomId: ROOM }, c);
    expect(state.log).toEqual(['playable', 'poster']);
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
    const fn: TranscodeFn = async (o) => { calls.push(o); return result; };
    for (const status of ['ready', 'failed'] as const) {
      state.row!.status = status;
      await make(fn).handle({ mediaId: MEDIA, roomId: ROOM }, ctx());
    }
    state.row = null;
    await make(fn).handle({ mediaId: MEDIA, roomId: ROOM }, ctx());
    expect(calls).toEqual([]);
  });

  it('fails rejected input permanently with the human reason', async () => {
    const handler = make(async () => { throw new MediaRejectedError('This file is not a video we can read (no video stream found).'); });
    await expect(handler.handle({ mediaId: MEDIA, roomId: ROOM }, ctx())).rejects.toBeInstanceOf(PermanentJobError);
    expect(state.row).toMatchObject({ status: 'failed', error: 'This file is not a video we can read (no video stream found).' });
  });

  it('puts a crashed attempt back to queued while retries remain, and fails it on the last one', async () => {
    const boom = make(async () => { throw new Error('ffmpeg exited with code 1'); });
    await expect(boom.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ attemptsMade: 0, maxAttempts: 2 }))).rejects.toThrow('ffmpeg exited');
    expect(state.row?.status).toBe('queued');
    await expect(boom.handle({ mediaId: MEDIA, roomId: ROOM }, ctx({ attemptsMade: 1, maxAttempts: 2 }))).rejects.toThrow('ffmpeg exited');
    expect(state.row?.status).toBe('failed');
    expect(state.row?.error).toMatch(/could not convert/);
  });
});
