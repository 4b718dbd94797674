import type { MediaView } from '@reelroom/contracts';

/** A finished upload waiting in a staging area of the store, multipart or tus. */
export interface StagedFile {
  /** Its key in the store (a staging key, e.g. `.tus/<uploadId>`). */
  key: string;
  size: number;
  originalname: string;
  /** The quota reservation the upload holds (see UploadReservations); it becomes the media's. */
  reservationId: string;
}

/** A reservation to record before the first byte of an upload is accepted. */
export interface UploadReservationRequest {
  id: string;
  userId: string;
  roomId: string;
  sizeBytes: number;
  filename: string;
}

/**
 * What resumable uploads need from media: the quota reservation before a byte arrives, and the one path a
 * finished upload takes to become a Media row. MediaService implements it.
 */
export abstract class MediaIntake {
  /** Holds `sizeBytes` against the user's quota (check and reservation in one step); 413 when it does not fit. */
  abstract reserve(r: UploadReservationRequest): Promise<void>;
  /** Drops a reservation (an upload cancelled or refused before completion). */
  abstract release(reservationId: string): Promise<void>;
  /**
   * Re-checks the uploader may still take part in the room (ban, kick, closure), sniffs, records, moves the
   * file under the media id, queues the transcode; deletes the file and the reservation when refused.
   */
  abstract acceptFile(userId: string, roomId: string, file: StagedFile): Promise<MediaView>;
}
