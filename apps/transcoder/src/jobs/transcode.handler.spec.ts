import { beforeEach, describe, expect, it } from 'vitest';
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
  row: (MediaState & { progress: number; error: string | null; renditions?: Rendition[] }) | null = { id: MEDIA, roomId: ROOM, status: 'queued', progress: 0, error: null };
  progressWrites: number[] = [];
  async find() { return this.row ? { id: this.row.id, roomId: this.row.roomId, status: this.row.status } : null; }
  async startProcessing() {
    if (!this.row || !['queued', 'processing'].includes(this.row.status)) return false;
    this.row.status = 'processing';
    return true;
  }
  async setProgress(_id: string, p: number) { this.progressWrites.push(p); }
  async markReady(_id: string, r: { renditions: Rendition[] }) {
    if (this.row?.status !== 'processing') return false;
    Object.assign(this.row, { status: 'ready', progress: 100, renditions: r.renditions });
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
      { mediaId: MEDIA, roomId: ROOM, percent: 42 },
    ]);
    expect(state.progressWrites).toEqual([42]);
    expect(state.row).toMatchObject({ status: 'ready', progress: 100, renditions: result.renditions });
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
