import { NotFoundException } from '@nestjs/common';
import { roomIdSchema } from '@reelroom/contracts';

/** A `:id` route parameter that must be a room id: a malformed one is the same 404 as an unknown room. */
export function roomIdParam(id: string): string {
  if (!roomIdSchema.safeParse(id).success) throw new NotFoundException('This room does not exist.');
  return id;
}
