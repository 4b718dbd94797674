import type { UploadRecord, UploadsRepository } from '../uploads/uploads.repository.js';

/** UploadsRepository in memory; `delete` answers true to exactly one caller, like the database. */
export class MemoryUploadsRepository implements UploadsRepository {
  readonly rows = new Map<string, UploadRecord>();

  /** Seeds an unfinished upload (in the app, media's UploadReservations creates the rows). */
  async create(d: {
    id: string;
    userId: string;
    roomId: string;
    sizeBytes: number;
    filename: string;
    expiresAt: Date;
  }): Promise<UploadRecord> {
    const row: UploadRecord = { ...d, sizeBytes: BigInt(d.sizeBytes), createdAt: new Date(), mediaId: null, finishedAt: null };
    this.rows.set(d.id, row);
    return row;
  }

  async findById(id: string): Promise<UploadRecord | null> {
    return this.rows.get(id) ?? null;
  }

  async delete(id: string): Promise<boolean> {
    return this.rows.delete(id);
  }

  async deleteExpired(now: Date): Promise<string[]> {
    const ids = [...this.rows.values()].filter((r) => r.expiresAt <= now).map((r) => r.id);
    for (const id of ids) this.rows.delete(id);
    return ids;
  }
}
