import type { CameraMedia, CameraPeer } from '@reelroom/contracts';

/** One participant of a room's call as the store keeps it (the peer id is the key). */
export interface CameraEntry extends CameraMedia {
  userId: string;
  name: string;
  /** When they joined (ms), for a stable tile order. */
  since: number;
}

/**
 * `reserved`: a new slot; `updated`: this peer already held one (a repeated join changes only its media);
 * `full`: no slot left. `expired`: slots whose lease ran out (their API process died) and were freed on
 * the way, so the service can tell the room they are gone.
 */
export type ReserveOutcome = { kind: 'reserved' | 'updated' | 'full'; expired: string[] };

/**
 * The rooms' calls, shared by every API process (RedisCameraStore). `reserve` is the one place the
 * CAMERA_LIMIT is enforced: check and take in one atomic step, so parallel joins on several processes
 * can never pass the limit together (reserve, then act). CameraService holds the rules around it.
 */
export abstract class CameraStore {
  abstract reserve(roomId: string, peerId: string, entry: CameraEntry, limit: number): Promise<ReserveOutcome>;
  /** Changes a participant's media; null when they are not in the call. */
  abstract update(roomId: string, peerId: string, media: CameraMedia): Promise<CameraEntry | null>;
  /** Frees the slot; false when there was none. */
  abstract release(roomId: string, peerId: string): Promise<boolean>;
  /** Frees every slot the user holds in the room (all their tabs); returns the freed peer ids. */
  abstract releaseUser(roomId: string, userId: string): Promise<string[]>;
  /** The entries of these peers, null for one not in the room's call. */
  abstract entries(roomId: string, peerIds: string[]): Promise<Array<CameraEntry | null>>;
  /** Everyone in the call, in the order they joined. */
  abstract list(roomId: string): Promise<CameraPeer[]>;
}

export const toCameraPeer = (peerId: string, e: CameraEntry): CameraPeer => ({
  peerId,
  userId: e.userId,
  name: e.name,
  audio: e.audio,
  video: e.video,
});
