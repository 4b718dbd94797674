import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  CAMERA_FIRST,
  CAMERA_PEER_GONE,
  CAMERAS_DISABLED,
  cameraRoomFull,
  type CameraJoinReply,
  type CameraLeftReason,
  type CameraMedia,
  type CameraPeer,
  type CameraRoster,
  type UserView,
} from '@reelroom/contracts';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { CameraStore, toCameraPeer } from './camera.store.js';

/**
 * The rules of a room's call (cameras and voices beside the player, issue 13). A participant is one
 * socket (its id is the peer id). Joining needs `take-part` in the room and one of its CAMERA_LIMIT slots,
 * reserved atomically in the store before anything is announced. Signals are relayed only between two
 * participants of the same room's call; leaving, a disconnect, a kick or a ban frees the slot and tells
 * the room at once, so everyone drops that peer's connection and tile.
 */
@Injectable()
export class CameraService {
  constructor(
    private readonly store: CameraStore,
    private readonly access: RoomAccessPolicy,
    private readonly broadcast: RoomBroadcaster,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'cameras'>,
  ) {}

  /** The join snapshot's part: who is on camera and the limit. */
  async roster(roomId: string): Promise<CameraRoster> {
    return { peers: this.config.cameras.limit > 0 ? await this.store.list(roomId) : [], limit: this.config.cameras.limit };
  }

  async join(roomId: string, peerId: string, user: UserView, media: CameraMedia): Promise<CameraJoinReply> {
    const { limit, iceServers } = this.config.cameras;
    if (limit === 0) throw new ForbiddenException(CAMERAS_DISABLED);
    await this.access.require(user.id, roomId, 'take-part');
    const entry = { userId: user.id, name: user.displayName, ...media, since: Date.now() };
    const outcome = await this.store.reserve(roomId, peerId, entry, limit);
    for (const gone of outcome.expired) this.broadcast.toRoom(roomId, 'camera:left', { peerId: gone, reason: 'removed' });
    if (outcome.kind === 'full') throw new ConflictException(cameraRoomFull(limit));
    const me = toCameraPeer(peerId, entry);
    this.broadcast.toRoom(roomId, outcome.kind === 'reserved' ? 'camera:joined' : 'camera:updated', me);
    const peers = (await this.store.list(roomId)).filter((p) => p.peerId !== peerId);
    return { peerId, peers, iceServers, limit };
  }

  async update(roomId: string, peerId: string, media: CameraMedia): Promise<CameraPeer> {
    const entry = await this.store.update(roomId, peerId, media);
    if (!entry) throw new ConflictException(CAMERA_FIRST);
    const peer = toCameraPeer(peerId, entry);
    this.broadcast.toRoom(roomId, 'camera:updated', peer);
    return peer;
  }

  /** The socket left the call (or the room, or disconnected). Nothing happens when it was not in it. */
  async leave(roomId: string, peerId: string, reason: CameraLeftReason = 'left'): Promise<void> {
    if (await this.store.release(roomId, peerId)) this.broadcast.toRoom(roomId, 'camera:left', { peerId, reason });
  }

  /** A kick or a ban: every tab of the person leaves the call now, before their sockets are even gone. */
  async removeUser(roomId: string, userId: string): Promise<void> {
    for (const peerId of await this.store.releaseUser(roomId, userId))
      this.broadcast.toRoom(roomId, 'camera:left', { peerId, reason: 'removed' });
  }

  /**
   * May `from` send a signal to `to`? Both must hold a slot in this room's call (a stranger, someone of
   * another room or someone who left is refused), and nobody signals themselves.
   */
  async checkRelay(roomId: string, from: string, to: string): Promise<void> {
    const [sender, target] = await this.store.entries(roomId, [from, to]);
    if (!sender) throw new ConflictException(CAMERA_FIRST);
    if (!target || from === to) throw new NotFoundException(CAMERA_PEER_GONE);
  }
}
