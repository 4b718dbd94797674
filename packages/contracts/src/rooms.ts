import { z } from 'zod';

export const createRoomBodySchema = z.object({
  name: z.string().trim().min(1).max(100),
});
export type CreateRoomBody = z.input<typeof createRoomBodySchema>;

/** Room ids: 128 random bits in base64url, 22 characters. */
export const roomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a room id');

export type RoomRole = 'host' | 'moderator' | 'viewer';

export interface RoomView {
  id: string;
  name: string;
  ownerId: string;
  createdAt: string;
  /** The caller's role in the room, or null when the caller has not joined it. */
  myRole: RoomRole | null;
}
