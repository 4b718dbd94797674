import { ForbiddenException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ROOM_JOIN_REFUSED, type AuthResponse, type BanView, type RoomRole, type RoomView, type UpdateRoomBody } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { GuestSessions } from '../auth/guest-sessions.js';
import type { ClientInfo } from '../auth/auth.types.js';
import { PasswordHasher } from '../auth/password.hasher.js';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { inMinutes, RetryLaterException } from '../common/rate-limit/retry-later.exception.js';
import { RoomsRepository, type MembershipRecord, type RoomRecord } from './rooms.repository.js';
import { LimitStore } from './limit.store.js';
import { RoomBlocks, type Knock, type RoomBlockEntry } from './room-blocks.js';
import { addressKey } from '../common/rate-limit/address-key.js';
import { RoomAccessPolicy, ROOM_CLOSED, type RoomAccess } from './room-access.policy.js';
import { toRoomView as toView } from './room-view.js';
import { newRoomId } from './room-id.js';

/** 404 with the one generic sentence: unknown room, wrong PIN, banned and closed look the same. */
export const joinRefused = (): NotFoundException => new NotFoundException(ROOM_JOIN_REFUSED);

/** Wrong PINs over the limit: the generic refusal, and when to come back (429 with Retry-After). */
export class TooManyAttemptsException extends RetryLaterException {
  constructor(retryAfterSec: number) {
    super(`${ROOM_JOIN_REFUSED} Too many attempts, try again ${inMinutes(retryAfterSec * 1000)}.`, retryAfterSec * 1000);
  }
}

/** A member's role and mute, as `room:you` and presence show them. */
export interface MemberState {
  role: RoomRole;
  mutedUntil: string | null;
}

@Injectable()
export class RoomsService {
  constructor(
    private readonly rooms: RoomsRepository,
    private readonly access: RoomAccessPolicy,
    private readonly hasher: PasswordHasher,
    private readonly guests: GuestSessions,
    private readonly limits: LimitStore,
    private readonly broadcast: RoomBroadcaster,
    private readonly blocks: RoomBlocks,
    @Inject(APP_CONFIG)
    private readonly config: Pick<AppConfig, 'pinFailsPerIp' | 'pinFailsPerRoom' | 'pinFailWindowSec' | 'kickDurationMs' | 'banAddressMs'>,
  ) {}

  async create(userId: string, name: string, pin?: string): Promise<RoomView> {
    const pinHash = pin ? await this.hasher.hash(pin) : null;
    const room = await this.rooms.createWithHost(newRoomId(), name, userId, pinHash);
    return toView(room, 'host');
  }

  /**
   * Members see the room (closed ones too, with closedAt). Others see an open PIN-less room (the link is
   * the capability); a PIN room, a closed room or a ban answer the generic refusal.
   */
  async get(userId: string, roomId: string): Promise<RoomView> {
    const access = await this.access.check(userId, roomId);
    switch (access.kind) {
      case 'member':
      case 'closed':
        return toView(access.room, access.member.role);
      case 'stranger':
        if (access.room.pinHash || access.room.closedAt) throw joinRefused();
        return toView(access.room, null);
      default:
        throw joinRefused();
    }
  }

  /**
   * What the join page may show (the preview's room part): the link is the capability, so anyone holding
   * a valid id learns the name, the host and whether a PIN is needed. A closed room, a ban and a block
   * (kicked, banned browsers and addresses) answer the generic refusal, like an unknown id.
   */
  async preview(roomId: string, knock: Knock): Promise<{ room: RoomRecord; hostName: string }> {
    const access = await this.access.check(knock.userId, roomId);
    if (access.kind === 'unknown' || access.kind === 'banned') throw joinRefused();
    if (access.room.closedAt) throw joinRefused();
    if (access.kind === 'stranger' && (await this.blocks.blocks(roomId, knock, new Date()))) throw joinRefused();
    return { room: access.room, hostName: (await this.rooms.userName(access.room.ownerId)) ?? 'the host' };
  }

  /** Account holders: existing members need no PIN; others need the PIN when the room has one. */
  async join(userId: string, roomId: string, pin: string | undefined, client: ClientInfo): Promise<RoomView> {
    const access = await this.access.check(userId, roomId);
    if (access.kind === 'closed') throw new GoneException(ROOM_CLOSED);
    if (access.kind === 'member') return toView(access.room, access.member.role);
    const open = await this.gate(roomId, access, pin, { userId, deviceId: client.deviceId, address: client.address });
    return toView(open, await this.rooms.addMember(roomId, userId, 'viewer'));
  }

  /** Anyone with the link (and PIN): a guest user, its session and a viewer membership. */
  async joinAsGuest(
    roomId: string,
    displayName: string,
    pin: string | undefined,
    client: ClientInfo,
  ): Promise<AuthResponse & { room: RoomView }> {
    const knock = { userId: null, deviceId: client.deviceId, address: client.address };
    const room = await this.gate(roomId, await this.access.check(null, roomId), pin, knock);
    const session = await this.guests.createGuest(displayName, client);
    const role = await this.rooms.addMember(roomId, session.user.id, 'viewer');
    return { ...session, room: toView(room, role) };
  }

  /**
   * The PIN gate. The attempt is reserved before anything is checked (LimitStore.reservePinAttempt: per
   * address first, the room-wide budget only for addresses that already failed), and every refusal
   * (unknown room, closed, banned or blocked, missing or wrong PIN) answers the same sentence. A right PIN
   * gives the attempt back; a refusal of the banned or blocked does not count toward the room.
   */
  private async gate(roomId: string, access: RoomAccess, pin: string | undefined, knock: Knock): Promise<RoomRecord> {
    const keys = { address: `pin:${roomId}:${addressKey(knock.address)}`, room: `pin:${roomId}` };
    const c = this.config;
    const r = await this.limits.reservePinAttempt(keys, {
      perAddress: c.pinFailsPerIp,
      perRoom: c.pinFailsPerRoom,
      windowSec: c.pinFailWindowSec,
    });
    if (!r.ok) throw new TooManyAttemptsException(r.retryAfterSec);

    const room = access.kind === 'unknown' ? null : access.room;
    const shutOut = access.kind === 'banned' || (room !== null && (await this.blocks.blocks(roomId, knock, new Date())));
    let ok = access.kind === 'stranger' && !access.room.closedAt && !shutOut;
    if (room?.pinHash) ok = pin !== undefined && (await this.hasher.verify(room.pinHash, pin)) && ok;
    else if (!room && pin) await this.hasher.burn(pin); // same cost as a wrong PIN: no timing oracle
    await this.limits.settlePinAttempt(keys, r.repeat, ok ? 'right' : shutOut ? 'not-counted' : 'wrong');
    if (ok && room) return room;
    throw joinRefused();
  }

  async update(userId: string, roomId: string, body: UpdateRoomBody): Promise<RoomView> {
    await this.requireRole(userId, roomId, ['host']);
    const data: Parameters<RoomsRepository['update']>[1] = {};
    if (body.name !== undefined) data.name = body.name.trim();
    if (body.pin !== undefined) data.pinHash = body.pin === null ? null : await this.hasher.hash(body.pin);
    if (body.controlLocked !== undefined) data.controlLocked = body.controlLocked;
    if (body.waitForEveryone !== undefined) data.waitForEveryone = body.waitForEveryone;
    if (body.queueOpen !== undefined) data.queueOpen = body.queueOpen;
    if (body.skipVote !== undefined) data.skipVote = body.skipVote;
    const room = await this.rooms.update(roomId, data);
    // The view carries myRole null: roles travel in room:you.
    this.broadcast.toRoom(roomId, 'room:updated', toView(room, null));
    return toView(room, 'host');
  }

  async close(userId: string, roomId: string): Promise<RoomView> {
    const room = await this.requireRole(userId, roomId, ['host']);
    const closed = room.closedAt ? room : await this.rooms.update(roomId, { closedAt: new Date() });
    // Told first, then disconnected: through the adapter both reach every API process, in that order.
    this.broadcast.toRoom(roomId, 'room:closed', { message: ROOM_CLOSED });
    this.broadcast.disconnectRoom(roomId);
    return toView(closed, 'host');
  }

  /** Host only: a closed room opens again (its members come back with the link; nobody is let in otherwise). */
  async reopen(userId: string, roomId: string): Promise<RoomView> {
    const room = await this.requireRole(userId, roomId, ['host']);
    const open = room.closedAt ? await this.rooms.update(roomId, { closedAt: null }) : room;
    return toView(open, 'host');
  }

  /** Host or moderators: who is banned. */
  async listBans(userId: string, roomId: string): Promise<BanView[]> {
    await this.requireRole(userId, roomId, ['host', 'moderator']);
    return (await this.rooms.bans(roomId)).map((b) => ({ userId: b.userId, name: b.name, bannedAt: b.bannedAt.toISOString() }));
  }

  /**
   * Host or moderators: lifts a ban. The membership row goes (the person joins again like anyone with the
   * link and PIN), and so do the blocks on their account and on the browsers and addresses their live
   * sessions name.
   */
  async unban(actorId: string, roomId: string, targetId: string): Promise<void> {
    await this.requireRole(actorId, roomId, ['host', 'moderator']);
    const m = await this.rooms.membership(roomId, targetId);
    if (!m?.bannedAt) throw new NotFoundException('This person is not banned here.');
    await this.rooms.removeMember(roomId, targetId);
    const { deviceIds, addresses } = await this.guests.clientsOf(targetId);
    await this.blocks.remove(roomId, [
      { kind: 'user', value: targetId },
      ...deviceIds.map((value) => ({ kind: 'device' as const, value })),
      ...addresses.map((value) => ({ kind: 'address' as const, value })),
    ]);
  }

  /** Host only: another member becomes host (and the room's owner); the old host stays as a moderator. */
  async transferHost(actorId: string, roomId: string, targetId: string): Promise<{ actor: MemberState; target: MemberState }> {
    await this.requireRole(actorId, roomId, ['host']);
    if (actorId === targetId) throw new ForbiddenException('You are the host already.');
    await this.requireTarget(roomId, targetId);
    const me = await this.requireTarget(roomId, actorId);
    await this.rooms.transferHost(roomId, actorId, targetId);
    const actor = { role: 'moderator' as const, mutedUntil: me.mutedUntil?.toISOString() ?? null };
    const target = { role: 'host' as const, mutedUntil: null };
    this.broadcast.toMember(roomId, actorId, 'room:you', actor);
    this.broadcast.toMember(roomId, targetId, 'room:you', target);
    return { actor, target };
  }

  /** Host only: promote a viewer to moderator or demote a moderator. Returns the member's new state. */
  async setRole(actorId: string, roomId: string, targetId: string, role: 'moderator' | 'viewer'): Promise<MemberState> {
    await this.requireRole(actorId, roomId, ['host']);
    const target = await this.requireTarget(roomId, targetId);
    if (target.role === 'host') throw new ForbiddenException('The host keeps the host role.');
    await this.rooms.setRole(roomId, targetId, role);
    const you = { role, mutedUntil: target.mutedUntil?.toISOString() ?? null };
    this.broadcast.toMember(roomId, targetId, 'room:you', you);
    return you;
  }

  /**
   * Host or moderator on viewers (a moderator cannot kick the host or another moderator). `whileConnected`
   * runs once the kick is allowed and recorded, before the person's sockets are disconnected: what the room
   * must hear as a removal (their camera) rather than as a disconnect. Its failure does not keep them in.
   */
  async kick(
    actorId: string,
    roomId: string,
    targetId: string,
    ban: boolean,
    { now = Date.now(), whileConnected }: { now?: number; whileConnected?: () => Promise<void> } = {},
  ): Promise<void> {
    await this.requireModerationOver(actorId, roomId, targetId);
    await this.blocks.add(roomId, await this.blockEntries(targetId, ban, now));
    if (ban) await this.rooms.ban(roomId, targetId);
    else await this.rooms.removeMember(roomId, targetId);
    try {
      await whileConnected?.();
    } finally {
      this.broadcast.toMember(roomId, targetId, 'room:kicked', {
        message: ban ? 'You were banned from this room.' : 'You were removed from this room.',
      });
      // Their disconnect updates presence.
      this.broadcast.disconnectMember(roomId, targetId);
    }
  }

  /**
   * What holds the door shut after a kick or a ban. A ban: the browsers of the person's sessions for the
   * room's lifetime (the membership row already holds the account) and their addresses for
   * BAN_ADDRESS_HOURS (addresses change hands). A kick: account, browsers and addresses for KICK_DURATION_MIN.
   */
  private async blockEntries(userId: string, ban: boolean, now: number): Promise<RoomBlockEntry[]> {
    const { deviceIds, addresses } = await this.guests.clientsOf(userId);
    const kickUntil = this.config.kickDurationMs > 0 ? new Date(now + this.config.kickDurationMs) : null;
    if (!ban && !kickUntil) return [];
    const addressUntil = ban ? (this.config.banAddressMs > 0 ? new Date(now + this.config.banAddressMs) : null) : kickUntil;
    return [
      ...(ban ? [] : [{ kind: 'user' as const, value: userId, until: kickUntil }]),
      ...deviceIds.map((value) => ({ kind: 'device' as const, value, until: ban ? null : kickUntil })),
      ...(addressUntil ? addresses.map((value) => ({ kind: 'address' as const, value, until: addressUntil })) : []),
    ];
  }

  /** Host or moderator: mute for `minutes` (0 unmutes). */
  async mute(actorId: string, roomId: string, targetId: string, minutes: number, now = Date.now()): Promise<MemberState> {
    await this.requireModerationOver(actorId, roomId, targetId);
    const until = minutes > 0 ? new Date(now + minutes * 60_000) : null;
    await this.rooms.setMutedUntil(roomId, targetId, until);
    const target = await this.requireTarget(roomId, targetId);
    const you = { role: target.role, mutedUntil: until?.toISOString() ?? null };
    this.broadcast.toMember(roomId, targetId, 'room:you', you);
    return you;
  }

  private async requireModerationOver(actorId: string, roomId: string, targetId: string): Promise<RoomRole> {
    if (actorId === targetId) throw new ForbiddenException('You cannot do that to yourself.');
    const { role } = await this.requireRoleOf(actorId, roomId, ['host', 'moderator']);
    const target = await this.requireTarget(roomId, targetId);
    if (target.role === 'host') throw new ForbiddenException('Nobody can do that to the host.');
    if (target.role === 'moderator' && role !== 'host') throw new ForbiddenException('Only the host can do that to a moderator.');
    return role;
  }

  private async requireTarget(roomId: string, userId: string): Promise<MembershipRecord> {
    const m = await this.rooms.membership(roomId, userId);
    if (!m || m.bannedAt) throw new NotFoundException('This person is not in the room.');
    return m;
  }

  private async requireRole(userId: string, roomId: string, roles: RoomRole[]): Promise<RoomRecord> {
    return (await this.requireRoleOf(userId, roomId, roles)).room;
  }

  /** Running the room (settings, close, moderation) needs no open room: a host may still tidy a closed one. */
  private async requireRoleOf(userId: string, roomId: string, roles: RoomRole[]): Promise<{ room: RoomRecord; role: RoomRole }> {
    const { room, role } = await this.access.require(userId, roomId, 'run');
    if (!roles.includes(role))
      throw new ForbiddenException(roles.length === 1 ? 'Only the host can do that.' : 'Only the host or a moderator can do that.');
    return { room, role };
  }

  /** A person's display name, for lines that name them (null when there is no such account). */
  displayName(userId: string): Promise<string | null> {
    return this.rooms.userName(userId);
  }

  async listMine(userId: string): Promise<RoomView[]> {
    return (await this.rooms.listForUser(userId)).map((r) => toView(r, r.role));
  }
}
