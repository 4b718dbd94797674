import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, PlaybackStateView, RoomSnapshot, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { failoverProxy } from '../support/failover-proxy.js';
import { makeClip } from '../support/media.js';
import { ask, okData } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';

// Issue 10, graceful API shutdown with two API processes behind a proxy: on SIGTERM the process first
// answers readiness 503 (its sockets still work), then closes its listener and its sockets' transports;
// the client reconnects through the proxy to the other process and is back in its room with its role,
// the playback position and the chat history.

let stack: Stack;
let scratch: string;
let host: ApiClient;
let room: RoomView;
let mediaId: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-failover-'));
  stack = await startStack({ web: false });
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Hana');
  room = await host.createRoom('Failover');
  const clip = await makeClip({ seconds: 4, width: 320, height: 240, dir: scratch, name: 'clip.mp4' });
  mediaId = (await host.upload(room.id, clip)).id;
  expect((await host.waitForMedia(mediaId)).status).toBe('ready');
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('graceful API shutdown', () => {
  it(
    'takes the process out of rotation first, then moves its sockets to the other process, room state intact',
    { timeout: 240_000 },
    async () => {
      const a = await stack.startSecondApi({ SHUTDOWN_DELAY_MS: '1500' });
      const b = await stack.startSecondApi();
      const proxy = await failoverProxy([a.port, b.port]);
      const socket: Socket = io(`http://127.0.0.1:${proxy.port}`, {
        path: '/socket.io',
        auth: { token: host.token },
        transports: ['websocket'],
        forceNew: true,
      });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
        const before = okData(await ask<RoomSnapshot>(socket, 'room:join', { roomId: room.id }));
        let seq = okData(
          await ask<PlaybackStateView>(socket, 'sync:command', { type: 'media', mediaId, baseSeq: before.playback.seq }),
        ).seq;
        seq = okData(await ask<PlaybackStateView>(socket, 'sync:command', { type: 'seek', position: 2.5, baseSeq: seq })).seq;
        okData(await ask<ChatMessage>(socket, 'chat:send', { body: 'said before the failover' }));

        let reconnected = 0;
        let disconnectedAt = 0;
        socket.on('disconnect', () => (disconnectedAt = Date.now()));
        socket.io.on('reconnect', () => (reconnected = Date.now()));
        const exited = new Promise<number | null>((resolve) => a.process.once('exit', (code) => resolve(code)));
        a.process.kill('SIGTERM');

        // Readiness goes first, while the socket is still served by A.
        await expect.poll(async () => (await fetch(`${a.baseUrl}/api/health/ready`)).status, { timeout: 5000, interval: 50 }).toBe(503);
        expect(socket.connected).toBe(true);

        // Then the socket moves: disconnected by A, reconnected through the proxy to B.
        await expect.poll(() => reconnected, { timeout: 20_000, interval: 50 }).toBeGreaterThan(0);
        const after = okData(await ask<RoomSnapshot>(socket, 'room:join', { roomId: room.id }));
        const backInRoomMs = Date.now() - disconnectedAt;
        console.warn(`[failover] back in the room ${backInRoomMs} ms after the old process dropped the socket`);
        expect(await exited).toBe(0);

        expect(after.me).toEqual(before.me);
        expect(after.playback).toMatchObject({ mediaId, paused: true, position: 2.5, seq });
        expect(after.chat.map((m) => m.body)).toContain('said before the failover');
        // And B serves it: a new message reaches the room and comes back.
        expect(okData(await ask<ChatMessage>(socket, 'chat:send', { body: 'said after' })).body).toBe('said after');
        expect((await fetch(`${b.baseUrl}/api/health/ready`)).status).toBe(200);
      } finally {
        socket.close();
        await proxy.close();
      }
    },
  );
});
