import type { SizeLimitReason } from '@reelroom/fetch/messages';
import type { MediaRecord } from './media.repository.js';

export interface ImportReservation {
  row: MediaRecord;
  /** min(upload limit, quota left): what the import may fetch, held in the row's sizeBytes until it is done. */
  reservedBytes: number;
  limitReason: SizeLimitReason;
}

/**
 * Creates the `importing` media row and reserves its share of the person's quota in one step, so two
 * imports (or an import and an upload) at the same moment cannot both count the same free space.
 */
export abstract class ImportReservations {
  /** null when the person's quota is already used up. */
  abstract reserve(data: {
    id: string;
    roomId: string;
    uploaderId: string;
    originalName: string;
    sourceUrl: string;
    maxUploadBytes: number;
    quotaBytes: number;
  }): Promise<ImportReservation | null>;
  /**
   * A failed import tried again: failed -> importing with a fresh reservation, under the same lock.
   * null when the quota is used up or the media is no longer a failed import.
   */
  /** importing -> failed with the sentence, the reservation released (the retry could not be queued). */
  abstract release(id: string, error: string): Promise<void>;
  abstract reserveAgain(data: {
    id: string;
    uploaderId: string;
    maxUploadBytes: number;
    quotaBytes: number;
  }): Promise<ImportReservation | null>;
}
