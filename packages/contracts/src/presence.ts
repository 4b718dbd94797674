import { z } from 'zod';
import type { RoomRole } from './rooms.js';

/** What each client reports about its player, a few times a second at most. */
export const playerStatusSchema = z.object({
  state: z.enum(['idle', 'ready', 'buffering', 'playing', 'paused', 'ended']),
  /** Local position minus the room's expected position, ms (positive: ahead). */
  driftMs: z.number().finite().min(-86_400_000).max(86_400_000),
  /** "Don't wait for me": this viewer's stalls never pause the room. */
  noWait: z.boolean(),
});
export type PlayerStatus = z.infer<typeof playerStatusSchema>;

export interface Member {
  userId: string;
  name: string;
  role: RoomRole;
  isGuest: boolean;
  /** Connected sockets of this user in the room (0 = left). */
  connections: number;
  player: PlayerStatus | null;
  mutedUntil: string | null;
}
