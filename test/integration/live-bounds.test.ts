import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_END_SENTENCES, type LiveKeyView, type LiveStateView, type MediaView, type RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { publish, type Publisher } from '../support/live.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// Issue 8's bounds on a live, with small limits: each test runs its own transcoder with one bound set
// (one live queue, so one transcoder at a time), a real RTMP publisher, and checks that the live ends
// cleanly with its reason, the publisher is hung up on, and the recording up to that point is the replay.
let stack: Stack;
let host: ApiClient;
const publishers: Publisher[] = [];
let transcoder: ChildProcess | undefined;

beforeAll(async () => {
  stack = await startStack({ transcoders: 0, web: false });
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
});
afterAll(async () => {
  for (const p of publishers) p.process.kill('SIGKILL');
  await stack?.stop();
});

async function withTranscoder(env: Record<string, string>) {
  if (transcoder && transcoder.exitCode === null) {
    const exited = new Promise((resolve) => transcoder!.once('exit', resolve));
    transcoder.kill('SIGTERM');
    await exited;
  }
  transcoder = await stack.startTranscoder(env);
}

/** Goes live in a new room and waits for `ended`: the state the room sees and the publisher. */
async function liveUntilEnded(name: string, mode: 'standard' | 'low' = 'standard') {
  const room: RoomView = await host.createRoom(name);
  const { streamKey } = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live`, { mode }, 201);
  const publisher = publish(`rtmp://127.0.0.1:${stack.rtmpPort}/live/${streamKey}`);
  publishers.push(publisher);
  const liveOf = () => host.json<LiveStateView>('GET', `/api/rooms/${room.id}/live`);
  await eventually(async () => (await liveOf()).status, 90_000).not.toBe('idle');
  await eventually(async () => (await liveOf()).status, 120_000).toBe('ended');
  return { room, publisher, liveOf };
}

describe('bounds of a live', () => {
  it('ends a live that passes LIVE_MAX_DISK_MB with its reason, hangs up on the publisher, and keeps the recording as the replay', async () => {
    // A 720p ladder writes about 2 MB a second: 3 MiB is passed within seconds of going live.
    await withTranscoder({ LIVE_MAX_DISK_MB: '3' });
    const { publisher, liveOf } = await liveUntilEnded('Disk bound');
    const ended = await liveOf();
    expect(ended).toMatchObject({ status: 'ended', endReason: 'disk-limit', playbackUrl: null });
    expect(LIVE_END_SENTENCES[ended.endReason!]).toMatch(/disk space/);
    // The API hung up on OBS (a publisher that keeps sending after its live ended would hold the room).
    expect(await publisher.exited).not.toBe(0);
    await eventually(async () => (await liveOf()).replayMediaId, 60_000).not.toBeNull();
    const replay = await host.json<MediaView>('GET', `/api/media/${(await liveOf()).replayMediaId}`);
    expect(replay).toMatchObject({ status: 'ready', playable: true });
    // Bounded: the recording stopped soon after the bound (a segment or two per rung in flight).
    expect(Number(replay.sizeBytes)).toBeLessThan(12 * 1024 * 1024);
  });

  it('in low-latency mode counts what the live holds (segments, init segments), not the part files beside them', async () => {
    // The packager writes each second twice for a while (parts, then the segment) and deletes the parts:
    // the bound counts the segments and init segments, as the replay holds them.
    await withTranscoder({ LIVE_MAX_DISK_MB: '3' });
    const { liveOf } = await liveUntilEnded('Disk bound, low latency', 'low');
    expect(await liveOf()).toMatchObject({ status: 'ended', endReason: 'disk-limit' });
    await eventually(async () => (await liveOf()).replayMediaId, 60_000).not.toBeNull();
    const replay = await host.json<MediaView>('GET', `/api/media/${(await liveOf()).replayMediaId}`);
    expect(replay).toMatchObject({ status: 'ready', playable: true });
    // At least the bound (counting the parts too ended it at about half), and soon after it.
    expect(Number(replay.sizeBytes)).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(Number(replay.sizeBytes)).toBeLessThan(12 * 1024 * 1024);
  });

  it('ends a live that passes LIVE_MAX_DURATION_SEC with its reason, counted from the start of the live', async () => {
    // Long enough for a first segment on a loaded 2-core box (the encode can run at 0.15x real time there).
    await withTranscoder({ LIVE_MAX_DURATION_SEC: '25' });
    const { publisher, liveOf } = await liveUntilEnded('Duration bound');
    const ended = await liveOf();
    expect(ended).toMatchObject({ status: 'ended', endReason: 'max-duration' });
    expect(await publisher.exited).not.toBe(0);
    await eventually(async () => (await liveOf()).replayMediaId, 60_000).not.toBeNull();
    const replay = await host.json<MediaView>('GET', `/api/media/${(await liveOf()).replayMediaId}`);
    // No more than the bound: the live ran at most 25 s from its start (the encode starts after the probe).
    expect(replay.durationSec).toBeGreaterThan(0);
    expect(replay.durationSec).toBeLessThanOrEqual(25.5);
    const { startedAt } = await liveOf();
    expect(Date.now() - Date.parse(startedAt!)).toBeGreaterThanOrEqual(25_000);
  });
});
