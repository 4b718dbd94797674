import { z } from 'zod';

/** What each client reports about its player, a few times a second at most. */
export const playerStatusSchema = z.object({
  state: z.enum(['idle', 'ready', 'buffering', 'playing', 'paused', 'ended']),
  /** Local position minus the room's expected position, ms (positive: ahead). */
  driftMs: z.number().finite().min(-86_400_000).max(86_400_000),
  /** "Don't wait for me": this viewer's stalls never pause the room. */
  noWait: z.boolean(),
});
export type PlayerStatus = z.infer<typeof playerStatusSchema>;

/** One person in a room's presence list (what the people panel shows). */
export const memberSchema = z.object({
  userId: z.string().min(1).max(64),
  name: z.string().max(200),
  role: z.enum(['host', 'moderator', 'viewer']),
  isGuest: z.boolean(),
  /** Connected sockets of this user in the room (0 = left). */
  connections: z.number().int().min(0),
  player: playerStatusSchema.nullable(),
  mutedUntil: z.string().nullable(),
});
export type Member = z.infer<typeof memberSchema>;

/**
 * Presence is versioned per room (issue 10): every change a person would see bumps the room's version
 * by one, atomically with the change, across API processes. A client holds the version of its list and
 * applies a change only when it is the next one; a gap (a delta lost in a reconnect, or still on its
 * way from another API process) makes it ask for the whole list (`presence:get`).
 */
const presenceVersionSchema = z.number().int().nonnegative();

/** One change: a member arrived or changed (role, mute, player status, sockets), or left. */
export const presenceChangeSchema = z.discriminatedUnion('kind', [
  z.object({ v: presenceVersionSchema, kind: z.literal('upsert'), member: memberSchema }),
  z.object({ v: presenceVersionSchema, kind: z.literal('leave'), userId: z.string().min(1).max(64) }),
]);
export type PresenceChange = z.infer<typeof presenceChangeSchema>;

/** `presence:delta`: the changes one API process made to a room in a short window, oldest first. */
export const presenceDeltaSchema = z.object({ changes: z.array(presenceChangeSchema).min(1) });
export type PresenceDelta = z.infer<typeof presenceDeltaSchema>;

/** The whole list at a version: in the join snapshot and the `presence:get` answer. */
export const presenceListSchema = z.object({ v: presenceVersionSchema, members: z.array(memberSchema) });
export type PresenceList = z.infer<typeof presenceListSchema>;

/** `presence:get` takes no arguments. */
export const presenceGetSchema = z.object({}).strict();
