import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { joinRoomEventSchema, presenceGetSchema, type RoomRole, type RoomSnapshot } from '@reelroom/contracts';
import { CameraService } from '../../cameras/camera.service.js';
import { FreshReads } from '../../common/fresh-reads.js';
import { LOGGER } from '../../common/logger.js';
import { ChatService } from '../../chat/chat.service.js';
import { LiveStates } from '../../live/live-states.js';
import { PlaybackService } from '../../playback/playback.service.js';
import { PresenceService } from '../../playback/presence.service.js';
import { RoomAccessPolicy } from '../../rooms/room-access.policy.js';
import { toRoomView } from '../../rooms/room-view.js';
import type { ClientSocket } from '../client-socket.js';
import { memberChannel, roomChannel, userChannel } from '../socket-channels.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';

/** Above this many people in a room, joins and leaves are not announced in chat. */
export const ANNOUNCE_MAX_MEMBERS = 50;

/** What a join snapshot says about the room itself: the same for every joiner, so read once for all who wait. */
type RoomPart = Pick<RoomSnapshot, 'members' | 'presenceVersion' | 'playback' | 'chat' | 'live' | 'cameras'>;

/**
 * Room membership on the socket: `room:join` (the room-access policy's `enter`, then the room's channels
 * and a full RoomSnapshot, also after a reconnect: recovery is a bonus, never relied on), `room:leave`,
 * disconnects, and recovered sockets (re-checked: a ban or a close during the drop disconnects them).
 * Presence counts each socket once; the first socket of a person says "joined", the last "left".
 * `presence:get` answers the whole presence list to a client that missed a delta.
 */
@Injectable()
export class MembershipGateway extends SocketConcern {
  /** Concurrent joiners of a room share the next snapshot read (a join storm, a failover's rejoins). */
  private readonly roomParts = new FreshReads<RoomPart>();

  constructor(
    private readonly access: RoomAccessPolicy,
    private readonly presence: PresenceService,
    private readonly playback: PlaybackService,
    private readonly chat: ChatService,
    private readonly live: LiveStates,
    private readonly cameras: CameraService,
    private readonly events: SocketEvents,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  bind(socket: ClientSocket): void {
    socket.onDisconnect(() => {
      const roomId = socket.data.roomId;
      if (roomId) void this.left(socket, roomId);
    });
    if (socket.recovered && socket.data.roomId) void this.rejoinRecovered(socket, socket.data.roomId);

    this.events.on(socket, 'room:join', joinRoomEventSchema, async ({ roomId }, reply) => {
      reply({ ok: true, data: await this.join(socket, roomId) });
    });
    this.events.on(socket, 'room:leave', joinRoomEventSchema, async ({ roomId }) => {
      if (socket.data.roomId === roomId) await this.left(socket, roomId, true);
    });
    // A client that saw a gap in the presence versions (a delta lost in a reconnect) resyncs here.
    this.events.on(socket, 'presence:get', presenceGetSchema, async (_, reply) => {
      reply({ ok: true, data: await this.presence.list(currentRoom(socket)) });
    });
  }

  /** Checks access, joins the channels, counts the connection and answers the full snapshot. */
  private async join(socket: ClientSocket, roomId: string): Promise<RoomSnapshot> {
    const user = socket.data.auth.user;
    const { room, role } = await this.access.require(user.id, roomId, 'enter');
    const fresh = socket.data.roomId !== roomId;
    if (socket.data.roomId && fresh) await this.left(socket, socket.data.roomId, true);
    await socket.join([roomChannel(roomId), userChannel(user.id), memberChannel(roomId, user.id)]);
    socket.data.roomId = roomId;
    if (fresh) await this.counted(socket, roomId, role);
    return {
      room: toRoomView(room, role),
      me: { userId: user.id, name: user.displayName, role },
      // Read after this socket joined the channels and was counted: what changes later reaches it live.
      ...(await this.roomParts.read(roomId, () => this.readRoomPart(roomId))),
      serverTime: Date.now(),
    };
  }

  private async readRoomPart(roomId: string): Promise<RoomPart> {
    const [presence, playback, chat, live, cameras] = await Promise.all([
      this.presence.list(roomId),
      this.playback.getState(roomId),
      this.chat.history(roomId),
      this.live.view(roomId),
      this.cameras.roster(roomId),
    ]);
    return { members: presence.members, presenceVersion: presence.v, playback, chat, live, cameras };
  }

  /** Connection bookkeeping shared by join and recovery: presence counts it; "joined" line on the first one. */
  private async counted(socket: ClientSocket, roomId: string, role: RoomRole): Promise<void> {
    const user = socket.data.auth.user;
    const n = await this.presence.connect(socket.id, roomId, { userId: user.id, name: user.displayName, role, isGuest: user.isGuest });
    if (n === 1 && (await this.conversational(roomId))) await this.chat.postSystem(roomId, `${user.displayName} joined`);
  }

  private async rejoinRecovered(socket: ClientSocket, roomId: string): Promise<void> {
    try {
      const access = await this.access.check(socket.data.auth.user.id, roomId);
      if (access.kind !== 'member') return socket.disconnect();
      await this.counted(socket, roomId, access.member.role);
    } catch (err) {
      this.logger.warn({ err, socketId: socket.id }, 'recovered socket bookkeeping failed');
    }
  }

  /**
   * Join/leave lines only make sense in a room of a conversational size. In a room of hundreds they
   * would fill the chat, and a join or leave storm would cost n^2 deliveries plus a database write each
   * (bench/chat-fanout: 1,000 joins = 500,000 deliveries, and a pool exhausted on mass disconnect).
   * The presence list shows who is here either way.
   */
  private async conversational(roomId: string): Promise<boolean> {
    return (await this.presence.connectedCount(roomId)) <= ANNOUNCE_MAX_MEMBERS;
  }

  private async left(socket: ClientSocket, roomId: string, leaveChannels = false): Promise<void> {
    // Whoever leaves the room leaves its call: the others drop this peer's connection and tile now.
    await this.cameras
      .leave(roomId, socket.id)
      .catch((err: unknown) => this.logger.warn({ err, socketId: socket.id, roomId }, 'camera release failed'));
    try {
      const user = socket.data.auth.user;
      if (socket.data.roomId === roomId) socket.data.roomId = undefined;
      if (leaveChannels) for (const c of [roomChannel(roomId), memberChannel(roomId, user.id)]) await socket.leave(c);
      const remaining = (await this.presence.disconnect(socket.id, roomId)).get(roomId);
      if (remaining === 0 && (await this.conversational(roomId))) await this.chat.postSystem(roomId, `${user.displayName} left`);
    } catch (err) {
      this.logger.warn({ err, socketId: socket.id, roomId }, 'leave bookkeeping failed');
    }
  }
}
