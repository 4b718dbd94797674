import { z } from 'zod';
import { nameText, plainText } from './text.js';

/** Room PINs: 4-12 digits. Stored hashed; wrong PINs are rate-limited per room and per client address. */
export const pinSchema = z.string().regex(/^\d{4,12}$/, 'PIN must be 4 to 12 digits');

export const createRoomBodySchema = z.object({
  name: nameText(100),
  pin: pinSchema.optional(),
});
export type CreateRoomBody = z.input<typeof createRoomBodySchema>;

/** Host-only changes. `pin: null` removes the PIN. */
export const updateRoomBodySchema = z
  .object({
    name: nameText(100).optional(),
    pin: pinSchema.nullable().optional(),
    controlLocked: z.boolean().optional(),
    waitForEveryone: z.boolean().optional(),
    queueOpen: z.boolean().optional(),
    skipVote: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type UpdateRoomBody = z.input<typeof updateRoomBodySchema>;

/** Joining with an account (POST /api/rooms/:id/join). */
export const joinRoomBodySchema = z.object({ pin: plainText().max(12).optional() });

/** Joining as a guest (POST /api/rooms/:id/guest): a display name is the whole identity. */
export const guestJoinBodySchema = z.object({
  displayName: nameText(40),
  pin: plainText().max(12).optional(),
});
export type GuestJoinBody = z.input<typeof guestJoinBodySchema>;

/** The single error for a wrong PIN, an unknown room and a banned user alike: no oracle. */
export const ROOM_JOIN_REFUSED = 'This room does not exist, or the PIN is wrong.';

/**
 * What the join page shows once the link is known (GET /api/rooms/:id/preview, no sign-in needed): the
 * room id is unguessable, so knowing it is the capability to see this much. Closed rooms and people
 * banned or blocked from the room get the generic refusal instead.
 */
export interface RoomPreview {
  id: string;
  name: string;
  hostName: string;
  hasPin: boolean;
  /** People with the room open right now. */
  watching: number;
}

/** Room ids: 128 random bits in base64url, 22 characters. */
export const roomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a room id');

export type RoomRole = 'host' | 'moderator' | 'viewer';

export interface RoomOptions {
  /** Only host and moderators may control playback (default false: everyone may). */
  controlLocked: boolean;
  /** When anyone stalls, everyone pauses until all are ready (or the timeout passes). */
  waitForEveryone: boolean;
  /** Everyone may add to, reorder and remove from "Up next" (default false: host and moderators). */
  queueOpen: boolean;
  /** Members may vote to skip what is playing; a majority of those present skips it. */
  skipVote: boolean;
}

export interface RoomView {
  id: string;
  name: string;
  ownerId: string;
  createdAt: string;
  /** The caller's role in the room, or null when the caller has not joined it. */
  myRole: RoomRole | null;
  hasPin: boolean;
  options: RoomOptions;
  /** Set when the host closed the room: it cannot be joined again. */
  closedAt: string | null;
}

/** Moderation commands (socket), host for roles; host or moderators for the rest. */
export const setRoleEventSchema = z.object({ userId: z.string().uuid(), role: z.enum(['moderator', 'viewer']) });
export const kickEventSchema = z.object({ userId: z.string().uuid(), ban: z.boolean().default(false) });
/** Host only: hand the host role to another member (the old host becomes a moderator). */
export const transferHostEventSchema = z.object({ userId: z.string().uuid() });

/** A person banned from the room (GET /api/rooms/:id/bans, host and moderators). */
export interface BanView {
  userId: string;
  name: string;
  bannedAt: string;
}

export const muteEventSchema = z.object({
  userId: z.string().uuid(),
  minutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
});
