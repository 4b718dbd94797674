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
}
