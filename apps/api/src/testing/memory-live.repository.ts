import type { LiveMode } from '@reelroom/contracts';
import type { LiveRecord, LiveRepository } from '../live/live.repository.js';
import type { MemoryRoomsRepository } from './memory-rooms.repository.js';

/** LiveRepository in memory; `claim` checks the room's closedAt like the SQL statement does. */
export class MemoryLiveRepository implements LiveRepository {
  readonly rows = new Map<string, LiveRecord>();
  /** streamId -> last heartbeat (the updatedAt the SQL compares); set when a live is claimed. */
  readonly beats = new Map<string, Date>();

  constructor(private readonly rooms: MemoryRoomsRepository) {}

  async find(roomId: string): Promise<LiveRecord | null> {
    const r = this.rows.get(roomId);
    return r ? { ...r } : null;
  }

  async findByStream(streamId: string): Promise<LiveRecord | null> {
    const r = [...this.rows.values()].find((x) => x.streamId === streamId);
    return r ? { ...r } : null;
  }

  async setKey(roomId: string, keyHash: string, mode: LiveMode): Promise<LiveRecord> {
    const existing = this.rows.get(roomId);
    const row: LiveRecord = existing ? { ...existing, streamKeyHash: keyHash, mode } : { ...idleRow(roomId), streamKeyHash: keyHash, mode };
    this.rows.set(roomId, row);
    return { ...row };
  }

  async rotateKey(roomId: string, keyHash: string): Promise<LiveRecord | null> {
    const row = this.rows.get(roomId);
    if (!row) return null;
    row.streamKeyHash = keyHash;
    return { ...row };
  }

  async disableKey(roomId: string): Promise<boolean> {
    const row = this.rows.get(roomId);
    if (!row) return false;
    row.streamKeyHash = null;
    return true;
  }

  async enabledKeys(): Promise<Array<{ roomId: string; streamKeyHash: string }>> {
    return [...this.rows.values()].flatMap((r) =>
      r.streamKeyHash && !this.rooms.rooms.get(r.roomId)?.closedAt ? [{ roomId: r.roomId, streamKeyHash: r.streamKeyHash }] : [],
    );
  }

  async ensureRow(roomId: string): Promise<void> {
    if (this.rows.has(roomId)) return;
    this.rows.set(roomId, idleRow(roomId));
  }

  async openRooms(roomIds: string[]): Promise<Set<string>> {
    return new Set(roomIds.filter((id) => this.rooms.rooms.has(id) && !this.rooms.rooms.get(id)?.closedAt));
  }

  async claim(roomId: string, keyHash: string | null, streamId: string, staleBefore: Date): Promise<boolean> {
    const row = this.rows.get(roomId);
    const room = this.rooms.rooms.get(roomId);
    if (!row || !room || room.closedAt || (keyHash !== null && row.streamKeyHash !== keyHash)) return false;
    const running = row.status === 'starting' || row.status === 'live';
    const stale = running && row.streamId !== null && (this.beats.get(row.streamId)?.getTime() ?? 0) < staleBefore.getTime();
    if (running && !stale) return false;
    Object.assign(row, { status: 'starting', streamId, startedAt: new Date(), endedAt: null, replayMediaId: null, endReason: null });
    this.beats.set(streamId, new Date());
    return true;
  }

  async heartbeat(streamIds: string[]): Promise<void> {
    for (const id of streamIds) if (this.beats.has(id)) this.beats.set(id, new Date());
  }

  async reconnecting(streamId: string): Promise<boolean> {
    return this.move(streamId, 'live', 'starting');
  }

  async resumed(streamId: string): Promise<boolean> {
    return this.move(streamId, 'starting', 'live');
  }

  private move(streamId: string, from: LiveRecord['status'], to: LiveRecord['status']): boolean {
    const row = [...this.rows.values()].find((r) => r.streamId === streamId);
    if (!row || row.status !== from) return false;
    row.status = to;
    return true;
  }

  async end(streamId: string): Promise<boolean> {
    const row = [...this.rows.values()].find((r) => r.streamId === streamId);
    if (!row || (row.status !== 'starting' && row.status !== 'live')) return false;
    Object.assign(row, { status: 'ended', endedAt: new Date() });
    return true;
  }
}

/** A room's live row before anything happened: no key, standard mode, idle. */
function idleRow(roomId: string): LiveRecord {
  return {
    roomId,
    streamKeyHash: null,
    mode: 'standard',
    status: 'idle',
    streamId: null,
    startedAt: null,
    endedAt: null,
    replayMediaId: null,
    endReason: null,
  };
}
