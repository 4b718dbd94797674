import type { CameraPeer } from '@reelroom/contracts';

export interface DeviceOption {
  deviceId: string;
  label: string;
}

/** What the page shows of one remote participant's media. */
export interface RemoteMedia {
  stream: MediaStream | null;
  speaking: boolean;
  /** RTCPeerConnection's connectionState ('new' until it has one). */
  connection: string;
}

export interface CameraState {
  /** off: not in the call; starting: asking for devices or a slot; on: in the call. */
  status: 'off' | 'starting' | 'on';
  /** Why joining or a device change failed, as a sentence. */
  error: string | null;
  /** Something worth knowing that is not a failure ("No camera found; you joined with your microphone only."). */
  notice: string | null;
  /** CAMERA_LIMIT (0: cameras off on this server). */
  limit: number;
  /** Everyone in the room's call as the server says, in join order, me included. */
  roster: CameraPeer[];
  me: { peerId: string | null; audio: boolean; video: boolean; stream: MediaStream | null; speaking: boolean };
  remote: Record<string, RemoteMedia>;
  devices: { cameras: DeviceOption[]; microphones: DeviceOption[] };
  selected: { camera: string | null; microphone: string | null };
  /** Lower the film while others talk (this viewer's choice, remembered). */
  duck: boolean;
}

export const initialCameraState = (duck = false): CameraState => ({
  status: 'off',
  error: null,
  notice: null,
  limit: 0,
  roster: [],
  me: { peerId: null, audio: false, video: false, stream: null, speaking: false },
  remote: {},
  devices: { cameras: [], microphones: [] },
  selected: { camera: null, microphone: null },
  duck,
});

/** Pure: the roster after `camera:joined` or `camera:updated` (a peer already listed is replaced in place). */
export function upsertPeer(roster: CameraPeer[], peer: CameraPeer): CameraPeer[] {
  const i = roster.findIndex((p) => p.peerId === peer.peerId);
  if (i === -1) return [...roster, peer];
  const next = roster.slice();
  next[i] = peer;
  return next;
}

/** Pure: the roster after `camera:left`. */
export function removePeer(roster: CameraPeer[], peerId: string): CameraPeer[] {
  return roster.filter((p) => p.peerId !== peerId);
}

/** Pure: the people whose tiles to show next to mine: the roster without me, in join order. */
export function othersOf(state: Pick<CameraState, 'roster' | 'me'>): CameraPeer[] {
  return state.roster.filter((p) => p.peerId !== state.me.peerId);
}

/** Pure: is anyone else in the call speaking (what ducking listens to)? */
export function othersSpeaking(state: Pick<CameraState, 'remote' | 'roster' | 'me'>): boolean {
  return othersOf(state).some((p) => p.audio && state.remote[p.peerId]?.speaking);
}

/** Pure: the initial on an avatar tile (name's first letter, uppercase; "?" for an empty name). */
export function initialOf(name: string): string {
  const first = [...name.trim()][0];
  return first ? first.toLocaleUpperCase() : '?';
}

/** A tiny observable store for useSyncExternalStore: immutable snapshots, listeners told on every change. */
export class CameraStore {
  private state: CameraState;
  private readonly listeners = new Set<() => void>();

  constructor(initial: CameraState) {
    this.state = initial;
  }

  get = (): CameraState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  update(fn: (s: CameraState) => CameraState): void {
    const next = fn(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  setRemote(peerId: string, patch: Partial<RemoteMedia>): void {
    this.update((s) => {
      const known = s.remote[peerId];
      const current = known ?? { stream: null, speaking: false, connection: 'new' };
      if (known && Object.entries(patch).every(([k, v]) => current[k as keyof RemoteMedia] === v)) return s;
      return { ...s, remote: { ...s.remote, [peerId]: { ...current, ...patch } } };
    });
  }

  dropRemote(peerId: string): void {
    this.update((s) => {
      if (!(peerId in s.remote)) return s;
      const remote = { ...s.remote };
      delete remote[peerId];
      return { ...s, remote };
    });
  }
}
