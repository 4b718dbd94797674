/** What a block names: the person, a browser (device cookie) or a client address. */
export type RoomBlockKind = 'user' | 'device' | 'address';

export interface RoomBlockEntry {
  kind: RoomBlockKind;
  value: string;
  /** null: for the room's lifetime. */
  until: Date | null;
}

/** Who is knocking, as far as a block can tell. */
export interface Knock {
  userId: string | null;
  deviceId: string | null;
  address: string;
}

/**
 * Bans and kicks as they hold against coming back (PrismaRoomBlocks): a kicked person, or a new guest from
 * a banned person's browser or address, is refused at the join for as long as the block lasts. Members
 * already in the room are not affected: blocks are checked at the door only.
 */
export abstract class RoomBlocks {
  abstract add(roomId: string, entries: RoomBlockEntry[]): Promise<void>;
  /** True when any of the knock's user, device or address is blocked in the room at `now`. */
  abstract blocks(roomId: string, knock: Knock, now: Date): Promise<boolean>;
  /** Lifts the room's blocks on these names (an unban). */
  abstract remove(roomId: string, names: Array<Pick<RoomBlockEntry, 'kind' | 'value'>>): Promise<void>;
}
