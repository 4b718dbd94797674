import type { Knock, RoomBlockEntry, RoomBlocks } from '../rooms/room-blocks.js';

/** RoomBlocks in memory. */
export class MemoryRoomBlocks implements RoomBlocks {
  readonly rows: Array<RoomBlockEntry & { roomId: string }> = [];

  async add(roomId: string, entries: RoomBlockEntry[]): Promise<void> {
    for (const e of entries) this.rows.push({ roomId, ...e });
  }

  async blocks(roomId: string, knock: Knock, now: Date): Promise<boolean> {
    const names: Record<RoomBlockEntry['kind'], string | null> = { user: knock.userId, device: knock.deviceId, address: knock.address };
    return this.rows.some((r) => r.roomId === roomId && names[r.kind] === r.value && (r.until === null || r.until > now));
  }
}
