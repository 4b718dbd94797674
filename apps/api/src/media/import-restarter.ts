import type { MediaView } from '@reelroom/contracts';
import type { MediaRecord } from './media.repository.js';

/**
 * Retry of an import that failed before its file arrived: fetch the link again (MediaImportService).
 * A port so MediaService's retry can hand it over without knowing how imports work.
 */
export abstract class ImportRestarter {
  abstract restart(media: MediaRecord): Promise<MediaView>;
}
