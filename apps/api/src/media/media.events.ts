import type { MediaView } from '@reelroom/contracts';

/**
 * What MediaService needs to tell a room; implemented by the socket gateway. An abstract class so
 * Nest can inject it and unit tests can pass a plain fake.
 */
export abstract class MediaEvents {
  abstract mediaUpdated(media: MediaView): void;
  abstract mediaProgress(roomId: string, mediaId: string, progress: number, etaSec: number | null): void;
  abstract mediaDeleted(roomId: string, mediaId: string): void;
}
