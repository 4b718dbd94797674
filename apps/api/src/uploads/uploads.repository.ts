import type { Upload } from '@reelroom/db';

export type UploadRecord = Upload;

/**
 * Uploads (tus, and multipart ones in flight): who owns them, for which room, until when, and once finished
 * which media they became (PrismaUploadsRepository). Rows are created as quota reservations by media's
 * UploadReservations.
 */
export abstract class UploadsRepository {
  abstract findById(id: string): Promise<UploadRecord | null>;
  /** true when this call deleted the row (so exactly one finisher proceeds). */
  abstract delete(id: string): Promise<boolean>;
  /** Deletes rows whose upload expired; returns their ids. */
  abstract deleteExpired(now: Date): Promise<string[]>;
}
