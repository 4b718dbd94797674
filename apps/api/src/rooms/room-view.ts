import type { RoomRole, RoomView } from '@reelroom/contracts';
import type { RoomRecord } from './rooms.repository.js';

/** A room as clients see it; `myRole` is the caller's (null: not a member, or a broadcast to everyone). */
export const toRoomView = (r: RoomRecord, myRole: RoomRole | null): RoomView => ({
  id: r.id,
  name: r.name,
  ownerId: r.ownerId,
  createdAt: r.createdAt.toISOString(),
  myRole,
  hasPin: r.pinHash !== null,
  options: { controlLocked: r.controlLocked, waitForEveryone: r.waitForEveryone, queueOpen: r.queueOpen, skipVote: r.skipVote },
  closedAt: r.closedAt?.toISOString() ?? null,
});
