import type { LibraryRefusal, LibraryRow } from './library.js';
import type { MediaRecord } from './media.repository.js';

export type LibraryAddOutcome = { added: MediaRecord } | { refused: LibraryRefusal };

/** The library's reads and its one write (PrismaLibraryRepository in production). */
export abstract class LibraryRepository {
  /** Every row I uploaded or imported, in every room, with whether I can still watch in that room. */
  abstract listOwned(userId: string): Promise<LibraryRow[]>;
  /**
   * Adds a copy of `sourceId`'s stored video to `roomId` as row `id`, when `userId` owns it and it is
   * ready; refuses a second copy in one room (a unique index decides between concurrent adds).
   */
  abstract addCopy(d: { id: string; sourceId: string; roomId: string; userId: string }): Promise<LibraryAddOutcome>;
}
