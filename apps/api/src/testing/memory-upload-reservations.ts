import type { UploadReservations, NewReservation, ReserveOutcome } from '../media/upload-reservations.js';
import type { UploadRecord } from '../uploads/uploads.repository.js';

/**
 * UploadReservations in memory, over the rows of a MemoryUploadsRepository (the same Upload rows, as in the
 * database). `mediaBytes` says how many bytes a user's media hold. Single-threaded JavaScript makes
 * `reserve` atomic here; the database version takes a per-user lock.
 */
export class MemoryUploadReservations implements UploadReservations {
  constructor(
    readonly rows: Map<string, UploadRecord>,
    private readonly mediaBytes: (userId: string) => number = () => 0,
  ) {}

  async reserve(r: NewReservation, quotaBytes: number): Promise<ReserveOutcome> {
    const now = new Date();
    const pending = [...this.rows.values()].filter((u) => u.userId === r.userId && u.expiresAt > now && !u.finishedAt);
    const usedBytes = this.mediaBytes(r.userId) + pending.reduce((n, u) => n + Number(u.sizeBytes), 0);
    if (usedBytes + r.sizeBytes > quotaBytes) return { reserved: false, usedBytes };
    this.rows.set(r.id, { ...r, sizeBytes: BigInt(r.sizeBytes), createdAt: now, mediaId: null, finishedAt: null });
    return { reserved: true };
  }

  async claim(id: string, mediaId: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.mediaId) return false;
    row.mediaId = mediaId;
    return true;
  }

  /** What MediaRepository.create does to the reservation in its transaction. */
  finish(id: string): void {
    const row = this.rows.get(id);
    if (row) row.finishedAt = new Date();
  }

  async release(id: string): Promise<void> {
    this.rows.delete(id);
  }
}
