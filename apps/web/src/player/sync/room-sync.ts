import { useCallback, useEffect, useSyncExternalStore, type RefObject } from 'react';
import type { PlaybackStateView } from '@reelroom/contracts';
import { notify, request, subscribeToRoom } from '../../socket/room-socket';
import type { CommandInput } from './command-sender';
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

/** Sync traffic is time-critical: an answer later than this is useless (a ping's sample, a command's moment). */
const SYNC_TIMEOUT_MS = 5_000;

const transport: SyncTransport = {
  ping: async (t0, rttMs) => {
    // rttMs rides along so the server can size its scheduling lead to the slowest member.
    const reply = await request('time:ping', rttMs === null ? { t0 } : { t0, rttMs }, SYNC_TIMEOUT_MS);
    if ('serverTime' in reply) return reply;
    throw new Error(reply.error);
  },
  command: (cmd) => request('sync:command', cmd, SYNC_TIMEOUT_MS),
  status: (st) => notify('player:status', st),
};

function acquire(roomId: string): SyncEngine {
  let e = engines.get(roomId);
  if (!e) {
    const engine = new SyncEngine(transport);
    const unsubscribe = subscribeToRoom(roomId, {
      onSyncState: (s) => engine.receive(s),
      onSnapshot: (snap) => engine.receive(snap.playback),
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

/**
 * The room's engine, read from the registry as an external store: subscribing is using the engine
 * (acquire: created for the first user), unsubscribing lets it go (release: stopped after the last).
 * React reads the registry again right after subscribing, so the engine this subscription created is
 * rendered at once. An engine is never replaced while it has users, so nothing else needs announcing.
 */
function useEngine(roomId: string | null): SyncEngine | null {
  const subscribe = useCallback(
    (_onChange: () => void) => {
      if (!roomId) return () => {};
      acquire(roomId);
      return () => release(roomId);
    },
    [roomId],
  );
  return useSyncExternalStore(subscribe, () => (roomId ? (engines.get(roomId)?.engine ?? null) : null));
}

const noSubscription = () => () => {};
const noSnapshot = () => null;

function useSnapshot(engine: SyncEngine | null): SyncSnapshot | null {
  return useSyncExternalStore(engine?.store.subscribe ?? noSubscription, engine?.store.getSnapshot ?? noSnapshot);
}

export type { CommandInput } from './command-sender';

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
    send: (cmd) => engine?.send(cmd),
  };
}

/**
 * For a player the engine does not drive (a low-latency live): the engine reports its state to the room
 * (People), so that the page does not say "no video" while it plays, with the drift the player keeps
 * itself (its distance from the room's target behind the live edge; null: none measured).
 */
export function useStatusReportFor(roomId: string, video: HTMLVideoElement | null, on: boolean, driftMs: RefObject<number | null>): void {
  const engine = useEngine(on ? roomId : null);
  useEffect(() => {
    if (!engine || !video) return;
    return engine.reportFor(video, () => driftMs.current);
  }, [engine, video, driftMs]);
}

/**
 * For the player: attaches the <video> to the room's engine (again whenever the player UI hands over
 * another element); returns the engine and its live snapshot.
 */
export function useSyncedVideo(roomId: string | null, video: HTMLVideoElement | null) {
  const engine = useEngine(roomId);
  const snap = useSnapshot(engine);
  useEffect(() => {
    if (!engine || !video) return;
    engine.attach(video);
    return () => engine.detach();
  }, [engine, video]);
  return { engine, snap };
}
