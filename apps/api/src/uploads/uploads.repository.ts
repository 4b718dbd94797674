import type { Upload } from '@reelroom/db';

export type UploadRecord = Upload;

/** Unfinished resumable (tus) uploads: who owns them, for which room, until when (PrismaUploadsRepository). */
export abstract class UploadsRepository {
  abstract create(data: {
    id: string;
    userId: string;
    roomId: string;
    sizeBytes: number;
    filename: string;
    expiresAt: Date;
  }): Promise<UploadRecord>;
  abstract findById(id: string): Promise<UploadRecord | null>;
  /** true when this call deleted the row (so exactly one finisher proceeds). */
  abstract delete(id: string): Promise<boolean>;
  /** Deletes rows whose upload expired; returns their ids. */
  abstract deleteExpired(now: Date): Promise<string[]>;
}
