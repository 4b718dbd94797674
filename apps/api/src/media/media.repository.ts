import type { Media } from '@reelroom/db';

export type MediaRecord = Media;

/** Media rows as MediaService and HLS access need them (PrismaMediaRepository in production). */
export abstract class MediaRepository {
  /** With `reservationId`: the upload reservation it came from is marked finished in the same transaction. */
  abstract create(
    data: { id: string; roomId: string; uploaderId: string; originalName: string; sizeBytes: number },
    reservationId?: string,
  ): Promise<MediaRecord>;
  abstract findById(id: string): Promise<MediaRecord | null>;
  abstract listByRoom(roomId: string, limit?: number): Promise<MediaRecord[]>;
  /** failed -> queued, clearing the previous attempt's output state. false when the media was not failed. */
  abstract resetForRetry(id: string): Promise<boolean>;
  /** importing|queued|processing -> failed with the reason. false when the media had already finished. */
  abstract cancel(id: string, reason: string): Promise<boolean>;
  abstract markFailed(id: string, error: string): Promise<void>;
  abstract delete(id: string): Promise<void>;
  /**
   * Deletes the row and says whether it was the last one playing its stored folder (library copies share
   * it, issue 12), under the folder's lock so a concurrent "add from library" or delete cannot interleave.
   * null when the row was already gone.
   */
  abstract deleteAndRelease(id: string): Promise<{ last: boolean } | null>;
}
