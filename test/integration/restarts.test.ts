import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, MediaView, RoomSnapshot } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { privatePostgres, privateRedis, type PrivateServer } from '../support/private-services.js';
import { ask, connectSocket, okData, type WireSocket } from '../support/socket.js';
import { eventually } from '../support/wait.js';

// Issue 10, chaos: "Restart Redis, then PostgreSQL, in the middle of a run: every process recovers by
// itself; no job, upload or chat message acknowledged to a user is lost." The whole product (API and a
// transcoder, as processes) runs against a private Redis and a private PostgreSQL cluster that this file
// stops and starts while a video converts, another waits in the queue, and people chat. Nothing restarts
// the product's own processes: they must find their way back alone.

let redis: PrivateServer;
let postgres: PrivateServer;
let stack: Stack;
let host: ApiClient;
let scratch: string;
const sockets: WireSocket[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-restarts-'));
  [redis, postgres] = await Promise.all([privateRedis(), privatePostgres('reelroom_restarts')]);
  // One transcoder, one job at a time, threads held down: the first video is still converting when a
  // server goes away, the second still queued behind it.
  stack = await startStack({
    web: false,
    transcoders: 1,
    env: { REDIS_URL: redis.url, DATABASE_URL: postgres.url, WORKER_LOCK_MS: '3000', TRANSCODE_THREADS: '1' },
  });
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
  await Promise.all([redis?.dispose(), postgres?.dispose()]);
});

const readiness = async () => (await fetch(`${stack.baseUrl}/api/health/ready`).catch(() => undefined))?.status ?? 0;
/** The media's status as the API reports it, or 'unreachable' while the API cannot answer. */
const statusOf = async (id: string) => {
  const res = await host.request('GET', `/api/media/${id}`).catch(() => undefined);
  return res?.ok ? ((await res.json()) as MediaView).status : 'unreachable';
};
const chatter = async (roomId: string) => {
  const s = await connectSocket(stack.baseUrl, host.token!);
  sockets.push(s);
  okData(await ask<RoomSnapshot>(s, 'room:join', { roomId }));
  return s;
};
/** Sends a chat line and returns its body if the server acknowledged it (ok), else undefined. */
const say = async (s: WireSocket, body: string) =>
  (await ask<ChatMessage>(s, 'chat:send', { body }, 10_000).catch(() => ({ ok: false }))).ok ? body : undefined;
/** Bodies in the room's history as a fresh join sees it. */
const history = async (roomId: string) => {
  const s = await connectSocket(stack.baseUrl, host.token!);
  try {
    return okData(await ask<RoomSnapshot>(s, 'room:join', { roomId })).chat.map((m) => m.body);
  } finally {
    s.disconnect();
  }
};

/**
 * Starts two uploads on one worker and waits until the first is processing (the second then waits in the queue),
 * so a restart lands mid-run. Returns both media ids.
 */
async function midRun(roomId: string, label: string) {
  const clip = await makeClip({ seconds: 12, width: 640, height: 360, dir: scratch, name: `${label}.mp4` });
  const first = await host.upload(roomId, clip, `${label}-1.mp4`);
  const second = await host.upload(roomId, clip, `${label}-2.mp4`);
  await eventually(() => statusOf(first.id), 60_000).toBe('processing');
  return [first.id, second.id];
}

describe('restarting the servers under a running product', () => {
  // The same run for each server; `server()` is read when the test runs (beforeAll has started it by then).
  const servers: Array<{ name: string; label: string; server: () => PrivateServer }> = [
    { name: 'Redis', label: 'redis', server: () => redis },
    { name: 'PostgreSQL', label: 'pg', server: () => postgres },
  ];
  for (const { name, label, server } of servers)
    it(`${name} restarts mid-transcode: the converting and the queued video end ready, acknowledged chat is kept, the API is ready again by itself`, async () => {
      const room = await host.createRoom(`${name} restart`);
      const s = await chatter(room.id);
      const acked = [await say(s, `before the ${name} restart`)];
      const media = await midRun(room.id, label);

      await server().stop();
      await eventually(readiness, 15_000).toBe(503);
      // Refused or accepted, never accepted and then lost: a line acknowledged now must be in the history later.
      acked.push(await say(s, `while ${name} is down`));
      await server().start();

      await eventually(readiness, 60_000).toBe(200);
      const after = `after the ${name} restart`;
      await eventually(() => say(s, after), 30_000).toBe(after);
      acked.push(after);
      for (const id of media) await eventually(() => statusOf(id), 180_000).toBe('ready');
      const kept = await history(room.id);
      for (const body of acked.filter((b): b is string => b !== undefined)) expect(kept).toContain(body);
      expect((await host.request('GET', `/media/${media[1]}/master.m3u8`)).status).toBe(200);
    }, 420_000);
});
