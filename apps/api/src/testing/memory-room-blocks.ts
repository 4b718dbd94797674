import type { Knock, RoomBlockEntry, RoomBlocks } from '../rooms/room-blocks.js';

/** RoomBlocks in memory. */
export class MemoryRoomBlocks implements RoomBlocks {
  readonly rows: Array<RoomBlockEntry & { roomId: string }> = [];

  async add(roomId: string, entries: RoomBlockEntry[]): Promise<void> {
    for (const e of entries) this.rows.push({ roomId, ...e });
  }

  async remove(roomId: string, names: Array<Pick<RoomBlockEntry, 'kind' | 'value'>>): Promise<void> {
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const r = this.rows[i];
      if (r.roomId === roomId && names.some((n) => n.kind === r.kind && n.value === r.value)) this.rows.splice(i, 1);
    }
  }

  async blocks(roomId: string, knock: Knock, now: Date): Promise<boolean> {
    const names: Record<RoomBlockEntry['kind'], string | null> = { user: knock.userId, device: knock.deviceId, address: knock.address };
    return this.rows.some((r) => r.roomId === roomId && names[r.kind] === r.value && (r.until === null || r.until > now));
  }
}
