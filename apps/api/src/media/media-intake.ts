import type { MediaView } from '@reelroom/contracts';

/** A finished upload waiting in a staging area of the store, multipart or tus. */
export interface StagedFile {
  /** Its key in the store (a staging key, e.g. `.tus/<uploadId>`). */
  key: string;
  size: number;
  originalname: string;
}

/**
 * What resumable uploads need from media: the quota check before a byte arrives, and the one path a
 * finished upload takes to become a Media row. MediaService implements it.
 */
export abstract class MediaIntake {
  /** 413 when `incomingBytes` more would take the user past their quota. */
  abstract assertWithinQuota(userId: string, incomingBytes: number): Promise<void>;
  /** Sniffs, records, moves the file under the media id, queues the transcode; deletes the file when refused. */
  abstract acceptFile(userId: string, roomId: string, file: StagedFile): Promise<MediaView>;
}
