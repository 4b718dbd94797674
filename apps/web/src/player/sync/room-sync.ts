import { useEffect, useState, type RefObject } from 'react';
import type { PlaybackStateView } from '@reelroom/contracts';
import type { PlaybackCommand } from '@reelroom/sync';
import { roomSocket, subscribeToRoom } from '../../socket/room-socket';
import { SyncEngine, type SyncSnapshot, type SyncTransport } from './sync-engine';

/**
 * One SyncEngine per room, shared by whoever needs it: the room page (which media the room plays,
 * `useRoomPlayback`) and the player (`useSyncedVideo`, which attaches the <video>). Created with the
 * first user, stopped with the last.
 */
interface Entry {
  engine: SyncEngine;
  users: number;
  unsubscribe: () => void;
}
const engines = new Map<string, Entry>();

const transport: SyncTransport = {
  ping: (t0, rttMs) =>
    new Promise((resolve, reject) => {
      const s = roomSocket();
      if (!s?.connected) return reject(new Error('offline'));
      // rttMs rides along so the server can size its scheduling lead to the slowest member.
      s.timeout(5_000).emit('time:ping', { t0, ...(rttMs !== null ? { rttMs } : {}) } as { t0: number }, (err, reply) =>
        err ? reject(err) : resolve(reply),
      );
    }),
  command: (cmd) =>
    new Promise((resolve) => {
      const s = roomSocket();
      if (!s?.connected) return resolve({ ok: false, error: 'You are offline; reconnecting.' });
      s.timeout(5_000).emit('sync:command', cmd, (err, reply) =>
        resolve(err ? { ok: false, error: 'The server did not answer in time.' } : reply),
      );
    }),
  status: (st) => roomSocket()?.emit('player:status', st),
};

function acquire(roomId: string): SyncEngine {
  let e = engines.get(roomId);
  if (!e) {
    const engine = new SyncEngine(transport);
    const unsubscribe = subscribeToRoom(roomId, {
      onSyncState: (s) => engine.receive(s),
      onSnapshot: (snap) => {
        if (snap.playback) engine.receive(snap.playback);
      },
    });
    engine.start();
    e = { engine, users: 0, unsubscribe };
    engines.set(roomId, e);
    // Test/debug hook (bench/sync.mjs, e2e): live counters of this page's engine.
    window.__reelroom = { ...(window.__reelroom ?? { hls: null }), sync: engine.debug };
  }
  e.users += 1;
  return e.engine;
}

function release(roomId: string): void {
  const e = engines.get(roomId);
  if (!e) return;
  e.users -= 1;
  if (e.users <= 0) {
    e.engine.stop();
    e.unsubscribe();
    engines.delete(roomId);
  }
}

function useEngine(roomId: string | null): SyncEngine | null {
  const [engine, setEngine] = useState<SyncEngine | null>(null);
  useEffect(() => {
    if (!roomId) return;
    const e = acquire(roomId);
    setEngine(e);
    return () => {
      setEngine(null);
      release(roomId);
    };
  }, [roomId]);
  return engine;
}

function useSnapshot(engine: SyncEngine | null): SyncSnapshot | null {
  const [snap, setSnap] = useState<SyncSnapshot | null>(engine?.snapshot ?? null);
  useEffect(() => (engine ? engine.subscribe(setSnap) : undefined), [engine]);
  return snap;
}

/** A command without its baseSeq (the engine fills in the seq it has seen). Distributes over the union. */
export type CommandInput = PlaybackCommand extends infer C ? (C extends PlaybackCommand ? Omit<C, 'baseSeq'> & { baseSeq?: number } : never) : never;

export interface RoomPlayback {
  /** The room's playback state (null until the first snapshot). `state.mediaId` is what the room plays. */
  state: PlaybackStateView | null;
  /** Sends a room command (e.g. `{type: 'media', mediaId}` to start a video for everyone). */
  send: (cmd: CommandInput) => void;
  lastError: string | null;
}

/** For the room page: which media the room plays, and how to change it. */
export function useRoomPlayback(roomId: string): RoomPlayback {
  const engine = useEngine(roomId);
  const snap = useSnapshot(engine);
  return {
    state: snap?.state ?? null,
    lastError: snap?.lastError ?? null,
    send: (cmd) => engine?.send({ ...cmd, baseSeq: cmd.baseSeq ?? engine.snapshot.state?.seq ?? 0 } as PlaybackCommand),
  };
}

/** For the player: attaches the <video> to the room's engine; returns the engine and its live snapshot. */
export function useSyncedVideo(roomId: string | null, videoRef: RefObject<HTMLVideoElement | null>, src: string) {
  const engine = useEngine(roomId);
  const snap = useSnapshot(engine);
  useEffect(() => {
    const v = videoRef.current;
    if (!engine || !v) return;
    engine.attach(v);
    return () => engine.detach();
  }, [engine, videoRef, src]);
  return { engine, snap };
}
