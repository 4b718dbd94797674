#!/usr/bin/env node
// Client side of bench/chat-fanout.mjs, run as a SEPARATE process (forked with an IPC channel) so the
// API processes never share an event loop with the clients. Not meant to be run by hand.
//
// Protocol (IPC):
//   parent -> {type:'connect', roomId, ports, tokens, hostToken?, concurrency}
//   driver -> {type:'joined', ok, failed, errors, ms}
//   parent -> {type:'run', messages, chatPerSec, senders, mediaId?, syncCommands, syncPerSec}
//   driver -> {type:'result', chat: number[] latencies, syncSent: {seq: t}, syncRecv: {seq: t[]}, ...}
//   parent -> {type:'close'}            driver disconnects everything and exits
//
// Every time is `performance.timeOrigin + performance.now()` (wall clock in ms, sub-ms resolution), which
// is the same clock in every process on this machine.
import { io } from 'socket.io-client';
import { emitAck } from './lib/socket-ack.mjs';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @type {{ socket: import('socket.io-client').Socket, idx: number }[]} */
let clients = [];
let host = null;
const chatLatencies = [];
const syncRecv = new Map(); // seq -> receive times (first receipt per client per seq)
let chatUserReceived = 0;
let chatForeign = 0;
const disconnects = [];
let measuring = false;

function open(url, token, idx, roomId, counted) {
  const port = Number(new URL(url).port);
  return new Promise((resolve) => {
    const socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      forceNew: true,
      timeout: 30_000,
    });
    const seenSeq = new Set();
    if (counted) {
      socket.on('chat:message', (m) => {
        const t = now();
        if (!measuring || m?.kind !== 'user') return;
        let body;
        try {
          body = JSON.parse(m.body);
        } catch {
          chatForeign++;
          return;
        }
        if (typeof body?.t !== 'number') return void chatForeign++;
        chatUserReceived++;
        chatLatencies.push(t - body.t);
      });
      socket.on('sync:state', (s) => {
        const t = now();
        if (!measuring || typeof s?.seq !== 'number' || seenSeq.has(s.seq)) return;
        seenSeq.add(s.seq);
        let arr = syncRecv.get(s.seq);
        if (!arr) syncRecv.set(s.seq, (arr = []));
        arr.push(t);
      });
    }
    socket.on('disconnect', (reason) => {
      if (!closing) disconnects.push({ idx, port, reason, at: new Date().toISOString() });
    });
    socket.once('connect_error', (err) => resolve({ socket, ok: false, error: `connect_error: ${err.message}` }));
    socket.once('connect', async () => {
      const r = await emitAck(socket, 'room:join', { roomId });
      resolve({ socket, ok: !!r?.ok, error: r?.ok ? undefined : `room:join: ${r?.error}`, snapshot: r?.ok ? r.data : undefined });
    });
  });
}

let closing = false;

async function connectAll({ roomId, ports, tokens, hostToken, concurrency }) {
  const t0 = now();
  const errors = new Map();
  let failed = 0;
  let next = 0;
  clients = new Array(tokens.length);
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= tokens.length) return;
      const port = ports[i % ports.length];
      const r = await open(`http://127.0.0.1:${port}`, tokens[i].token, tokens[i].idx, roomId, true);
      clients[i] = { socket: r.socket, idx: tokens[i].idx, port };
      if (!r.ok) {
        failed++;
        errors.set(r.error, (errors.get(r.error) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, worker));
  let hostState = null;
  if (hostToken) {
    const r = await open(`http://127.0.0.1:${ports[0]}`, hostToken, -1, roomId, false);
    host = r.socket;
    if (!r.ok) errors.set(`host ${r.error}`, 1);
    hostState = r.snapshot?.playback ?? null;
    host.on('sync:state', (s) => {
      if (typeof s?.seq === 'number' && s.seq > (hostState?.seq ?? -1)) hostState = s;
    });
    host.data = () => hostState;
  }
  return { ok: tokens.length - failed, failed, errors: Object.fromEntries(errors), ms: Math.round(now() - t0) };
}

async function run({ messages, chatPerSec, senders, mediaId, syncCommands, syncPerSec, settleMs }) {
  measuring = true;
  const sendErrors = new Map();
  const noteErr = (e) => sendErrors.set(e, (sendErrors.get(e) ?? 0) + 1);
  // Senders: the first `senders` connected clients, which (round-robin) sit on different API processes.
  const senderSockets = clients.filter((c) => c.socket.connected).slice(0, senders);
  let chatSent = 0;
  const pending = [];
  for (let i = 0; i < messages; i++) {
    const due = i * (1000 / chatPerSec);
    const s = senderSockets[i % senderSockets.length];
    const t = now();
    pending.push(
      emitAck(s.socket, 'chat:send', { body: JSON.stringify({ t, i }) }).then((r) => {
        if (r?.ok) chatSent++;
        else noteErr(`chat:send: ${r?.error}`);
      }),
    );
    const wait = start + due + 1000 / chatPerSec - now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(pending);

  // Sync commands from the host: set the media once (not measured), then pause/play/seek, paced.
  const syncSent = {};
  let syncNote = null;
  if (syncCommands > 0 && host && mediaId) {
    let state = host.data();
    const r = await emitAck(host, 'sync:command', { type: 'media', mediaId, baseSeq: state?.seq ?? 0 });
    if (!r?.ok) syncNote = `media command refused: ${r?.error}`;
    else {
      state = r.data;
      await sleep(1000);
      const kinds = ['play', 'pause', 'seek'];
      const syncStart = now();
      for (let i = 0; i < syncCommands; i++) {
        const kind = kinds[i % kinds.length];
        const cur = host.data() ?? state;
        const cmd = kind === 'seek' ? { type: 'seek', position: (i * 0.37) % 2, baseSeq: cur.seq } : { type: kind, baseSeq: cur.seq };
        const t = now();
        const res = await emitAck(host, 'sync:command', cmd);
        if (res?.ok) {
          syncSent[res.data.seq] = t;
          if (res.data.seq > (host.data()?.seq ?? -1)) state = res.data;
        } else noteErr(`sync:command ${kind}: ${res?.error}`);
        const wait = syncStart + (i + 1) * (1000 / syncPerSec) - now();
        if (wait > 0) await sleep(wait);
      }
    }
  } else if (syncCommands > 0) syncNote = 'no media: sync commands skipped';

  await sleep(settleMs);
  measuring = false;
  return {
    chatSent,
    chatLatencies,
    chatUserReceived,
    chatForeign,
    syncSent,
    syncRecv: Object.fromEntries(syncRecv),
    syncNote,
    sendErrors: Object.fromEntries(sendErrors),
    disconnects,
    stillConnected: clients.filter((c) => c.socket.connected).length,
  };
}
let start = 0;

process.on('message', async (msg) => {
  try {
    if (msg?.type === 'connect') process.send({ type: 'joined', ...(await connectAll(msg)) });
    else if (msg?.type === 'run') {
      start = now();
      process.send({ type: 'result', ...(await run(msg)) });
    } else if (msg?.type === 'close') {
      closing = true;
      for (const c of clients) c?.socket.disconnect();
      host?.disconnect();
      await sleep(200);
      process.exit(0);
    }
  } catch (err) {
    process.send({ type: 'error', error: String(err?.stack ?? err) });
  }
});
process.send?.({ type: 'ready' });
