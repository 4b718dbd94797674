import { describe, expect, it } from 'vitest';
import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import { PlaybackService } from './playback.service.js';
import type { PlaybackRoom, PlaybackMedia } from './playback.repository.js';

const ROOM = 'r'.repeat(22);
const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';

function setup(opts: { locked?: boolean; role?: 'host' | 'viewer' | null; media?: Partial<PlaybackMedia> | null; rtts?: number[] } = {}) {
  let state: PlaybackState = initialPlaybackState();
  const emitted: Array<{ event: string; payload: unknown }> = [];
  const lines: string[] = [];
  const store = {
    get: async () => state,
    update: async (_r: string, fn: (s: PlaybackState) => { next: PlaybackState | null; result: unknown }) => {
      const { next, result } = fn(state);
      if (next) state = next;
      return { changed: !!next, state, result };
    },
  };
  const room: PlaybackRoom = { id: ROOM, controlLocked: !!opts.locked, waitForEveryone: false, closedAt: null };
  const repo = {
    room: async () => room,
    roleOf: async () => (opts.role === undefined ? 'viewer' : opts.role),
    media: async () =>
      opts.media === null ? null : { id: MEDIA, roomId: ROOM, originalName: 'Film.mp4', status: 'ready', playable: true, durationSec: 60, ...opts.media },
  };
  const presence = { rtts: async () => opts.rtts ?? [] };
  const broadcast = { emit: (_r: string, event: string, payload: unknown) => emitted.push({ event, payload }) };
  const chat = { postSystem: async (_r: string, body: string) => lines.push(body) };
  const logger = { warn: () => undefined };
  const service = new PlaybackService(store as never, repo as never, presence as never, broadcast as never, {} as never, logger as never, chat);
  return { service, emitted, lines, get state() { return state; } };
}

const ana = { userId: 'u1', name: 'Ana' };
const bo = { userId: 'u2', name: 'Bo' };

describe(PlaybackService.name, () => {
  it('applies a permitted command, broadcasts it and posts the chat line', async () => {
    const t = setup();
    expect(await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).toMatchObject({ ok: true, data: { mediaId: MEDIA, seq: 1 } });
    const r = await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
    expect(r).toMatchObject({ ok: true, data: { paused: false, seq: 2 } });
    expect(t.emitted.map((e) => e.event)).toEqual(['sync:state', 'sync:state']);
    await new Promise((r) => setTimeout(r, 0));
    expect(t.lines).toEqual(['Ana started Film.mp4', 'Ana pressed play at 0:00']);
  });

  it('schedules with a lead of twice the slowest round trip', async () => {
    const t = setup({ rtts: [50, 200] });
    await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    const before = Date.now();
    const r = await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
    expect(r.ok && r.data.anchorServerTime - before).toBeGreaterThanOrEqual(400);
    expect(r.ok && r.data.anchorServerTime - before).toBeLessThan(450);
  });

  it('refuses viewers in a locked room, strangers, invalid payloads, and media that is not ready or elsewhere', async () => {
    expect(await setup({ locked: true }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).toMatchObject({ ok: false, error: expect.stringMatching(/host and moderators/) });
    expect((await setup({ locked: true, role: 'host' }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).ok).toBe(true);
    expect((await setup({ role: null }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).ok).toBe(false);
    expect(await setup().service.command(ana, ROOM, { type: 'rate', rate: 4, baseSeq: 0 })).toEqual({ ok: false, error: 'Invalid playback command.' });
    expect(await setup({ media: { status: 'processing', playable: false } }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).toMatchObject({ ok: false, error: expect.stringMatching(/not ready/) });
    expect(await setup({ media: { status: 'processing', playable: true } }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).toMatchObject({ ok: true });
    expect(await setup({ media: { roomId: 'x'.repeat(22) } }).service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 })).toMatchObject({ ok: false });
  });

  it('drops a command based on a state someone else changed since, and hands back the current state', async () => {
    const t = setup();
    await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 });
    expect(await t.service.command(bo, ROOM, { type: 'pause', baseSeq: 1 })).toMatchObject({ ok: false, state: { seq: 2 } });
  });

  it("applies a person's quick second command sent before the reply to their first", async () => {
    const t = setup();
    await t.service.command(ana, ROOM, { type: 'media', mediaId: MEDIA, baseSeq: 0 });
    await t.service.command(ana, ROOM, { type: 'rate', rate: 1.5, baseSeq: 1 });
    expect(await t.service.command(ana, ROOM, { type: 'play', baseSeq: 1 })).toMatchObject({ ok: true, data: { seq: 3, paused: false, rate: 1.5 } });
  });
});
