#!/usr/bin/env node
// Client side of bench/socket-load.mjs, run as SEPARATE processes (forked with an IPC channel) so the API
// processes never share an event loop with the clients. Not meant to be run by hand.
//
// Protocol (IPC):
//   parent -> {type:'connect', url, clients:[{idx, token, roomId, role:'viewer'|'sender'|'host'}], concurrency, spread}
//   driver -> {type:'joined', ok, failed, errors, ms, joinMs:[ms per first room:join]}
//   parent -> {type:'counters'}         driver -> {type:'counters', bytes}  (socket.io bytes received so far)
//   parent -> {type:'run', round, messages, chatPerSec, syncs, syncPerSec, mediaIds:{roomId: mediaId}, settleMs}
//   driver -> {type:'result', round, chatSent:{roomId:n}, chatLatencies, chatReceived:{roomId:n}, foreign,
//              syncSent:{'roomId:seq': t}, syncRecv:{'roomId:seq': [t]}, sendErrors}
//   parent -> {type:'kill-mark'}        driver -> {type:'marked'}  (disconnects after this are the kill's)
//   parent -> {type:'rejoin-status'}    driver -> {type:'rejoin-status', dropped, back:[ms], out}
//   parent -> {type:'close'}            driver disconnects everything and exits
//
// Socket options are the web app's (apps/web/src/socket/room-socket.ts): its reconnection settings
// (contracts' SOCKET_RECONNECTION; with spread: false socket.io's defaults, as the web app had before
// issue 10, for an A/B), and a room:join again on every connect, as RoomSocket does.
// Every time is `performance.timeOrigin + performance.now()`, the same clock in every process here.
import { io } from 'socket.io-client';
import { SOCKET_RECONNECTION } from '@reelroom/contracts';
import { emitAck } from './lib/socket-ack.mjs';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let clients = [];
let measuring = false;
let closing = false;
let chatLatencies = [];
let chatReceived = {};
let foreign = 0;
let syncRecv = {};
let markAt = null;
const rejoinMs = [];
const joinMs = [];
let dropped = 0;
let bytes = 0;
const countBytes = (data) => (bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);

function open(url, c, spread) {
  return new Promise((resolve) => {
    const socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: c.token },
      forceNew: true,
      timeout: 30_000,
      ...(spread ? SOCKET_RECONNECTION : {}),
    });
    const client = { ...c, socket, lostAt: null, seq: -1 };
    let first = true;
    const openedAt = now();
    // Every message the server sends this client (the engine is new after each reconnect).
    socket.io.on('open', () => socket.io.engine.on('data', countBytes));
    socket.on('chat:message', (m) => {
      const t = now();
      if (!measuring || m?.kind !== 'user') return;
      let body;
      try {
        body = JSON.parse(m.body);
      } catch {
        return void foreign++;
      }
      if (body?.r !== c.roomId || typeof body.t !== 'number') return void foreign++;
      chatLatencies.push(t - body.t);
      chatReceived[c.roomId] = (chatReceived[c.roomId] ?? 0) + 1;
    });
    socket.on('sync:state', (s) => {
      if (typeof s?.seq !== 'number') return;
      if (c.role === 'host') client.seq = Math.max(client.seq, s.seq);
      if (!measuring || c.role === 'host') return;
      const key = `${c.roomId}:${s.seq}`;
      (syncRecv[key] ??= []).push(now());
    });
    socket.on('disconnect', () => {
      if (closing) return;
      client.lostAt = now();
      if (markAt !== null) dropped++;
    });
    socket.on('connect', async () => {
      const r = await emitAck(socket, 'room:join', { roomId: c.roomId });
      if (r?.ok && c.role === 'host') client.seq = Math.max(client.seq, r.data.playback?.seq ?? -1);
      if (r?.ok && client.lostAt !== null && markAt !== null) rejoinMs.push(now() - Math.max(client.lostAt, markAt));
      if (r?.ok) client.lostAt = null;
      if (first) {
        first = false;
        if (r?.ok) joinMs.push(now() - openedAt);
        resolve({ client, ok: !!r?.ok, error: r?.ok ? undefined : `room:join: ${r?.error}` });
      }
    });
    socket.once('connect_error', (err) => {
      if (!first) return;
      first = false;
      resolve({ client, ok: false, error: `connect_error: ${err.message}` });
    });
  });
}

async function connectAll({ url, clients: list, concurrency, spread }) {
  const t0 = now();
  const errors = {};
  let failed = 0;
  let next = 0;
  clients = new Array(list.length);
  await Promise.all(
    Array.from({ length: Math.min(concurrency, list.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= list.length) return;
        const r = await open(url, list[i], spread);
        clients[i] = r.client;
        if (!r.ok) {
          failed++;
          errors[r.error] = (errors[r.error] ?? 0) + 1;
        }
      }
    }),
  );
  return { ok: list.length - failed, failed, errors, ms: Math.round(now() - t0) };
}

async function run({ messages, chatPerSec, syncs, syncPerSec, mediaIds, settleMs }) {
  chatLatencies = [];
  chatReceived = {};
  syncRecv = {};
  foreign = 0;
  measuring = true;
  const sendErrors = {};
  const noteErr = (e) => (sendErrors[e] = (sendErrors[e] ?? 0) + 1);
  const chatSent = {};
  const syncSent = {};
  const senders = clients.filter((c) => c.role === 'sender');
  const hosts = clients.filter((c) => c.role === 'host');
  // Each room's sender and host start at a random offset within one period, so 50 rooms do not fire at once.
  const chat = senders.map(async (c) => {
    await sleep(Math.random() * (1000 / chatPerSec));
    const start = now();
    for (let i = 0; i < messages; i++) {
      const r = await emitAck(c.socket, 'chat:send', { body: JSON.stringify({ t: now(), r: c.roomId, i }) });
      if (r?.ok) chatSent[c.roomId] = (chatSent[c.roomId] ?? 0) + 1;
      else noteErr(`chat:send: ${r?.error}`);
      const wait = start + (i + 1) * (1000 / chatPerSec) - now();
      if (wait > 0) await sleep(wait);
    }
  });
  const sync = hosts.map(async (c) => {
    const mediaId = mediaIds?.[c.roomId];
    if (!syncs || !mediaId) return;
    const set = await emitAck(c.socket, 'sync:command', { type: 'media', mediaId, baseSeq: c.seq });
    if (!set?.ok) return void noteErr(`sync media: ${set?.error}`);
    c.seq = Math.max(c.seq, set.data.seq);
    await sleep(500 + Math.random() * (1000 / syncPerSec));
    const start = now();
    const kinds = ['play', 'pause', 'seek'];
    for (let i = 0; i < syncs; i++) {
      const kind = kinds[i % kinds.length];
      const cmd = kind === 'seek' ? { type: 'seek', position: (i * 0.37) % 1.5, baseSeq: c.seq } : { type: kind, baseSeq: c.seq };
      const t = now();
      const r = await emitAck(c.socket, 'sync:command', cmd);
      if (r?.ok) {
        syncSent[`${c.roomId}:${r.data.seq}`] = t;
        c.seq = Math.max(c.seq, r.data.seq);
      } else noteErr(`sync:command ${kind}: ${r?.error}`);
      const wait = start + (i + 1) * (1000 / syncPerSec) - now();
      if (wait > 0) await sleep(wait);
    }
  });
  await Promise.all([...chat, ...sync]);
  await sleep(settleMs);
  measuring = false;
  return { chatSent, chatLatencies, chatReceived, foreign, syncSent, syncRecv, sendErrors };
}

process.on('message', async (msg) => {
  try {
    if (msg?.type === 'connect') process.send({ type: 'joined', ...(await connectAll(msg)), joinMs });
    else if (msg?.type === 'counters') process.send({ type: 'counters', bytes });
    else if (msg?.type === 'run') process.send({ type: 'result', round: msg.round, ...(await run(msg)) });
    else if (msg?.type === 'kill-mark') {
      markAt = now();
      process.send({ type: 'marked' });
    } else if (msg?.type === 'rejoin-status')
      process.send({ type: 'rejoin-status', dropped, back: rejoinMs, out: clients.filter((c) => c.lostAt !== null).length });
    else if (msg?.type === 'close') {
      closing = true;
      for (const c of clients) c?.socket.disconnect();
      await sleep(200);
      process.exit(0);
    }
  } catch (err) {
    process.send({ type: 'error', error: String(err?.stack ?? err) });
  }
});
process.send?.({ type: 'ready' });
