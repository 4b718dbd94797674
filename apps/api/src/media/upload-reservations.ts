/** An upload about to receive bytes (tus or multipart), as its reservation records it. */
export interface NewReservation {
  /** The upload id (tus: the upload's id; multipart: a random one). */
  id: string;
  userId: string;
  roomId: string;
  /** Bytes held against the quota: tus's Upload-Length, a multipart request's Content-Length. */
  sizeBytes: number;
  filename: string;
  expiresAt: Date;
}

export type ReserveOutcome = { reserved: true } | { reserved: false; usedBytes: number };

/**
 * Quota reservations: an upload holds its declared size against the uploader's quota from before its first
 * byte until its Media row exists (then the media counts) or it is refused, cancelled or expires. The check
 * and the reservation are one step, so parallel uploads cannot together pass the quota.
 * PrismaUploadReservations keeps them as Upload rows.
 */
export abstract class UploadReservations {
  /**
   * Records the reservation if the user's bytes in use (media plus unfinished reservations) plus
   * `sizeBytes` fit within `quotaBytes`; otherwise records nothing and says how much is in use.
   */
  abstract reserve(r: NewReservation, quotaBytes: number): Promise<ReserveOutcome>;
  /** Claims an unclaimed reservation for the media it becomes: true for exactly one caller. */
  abstract claim(id: string, mediaId: string): Promise<boolean>;
  /** Drops a reservation (refused, cancelled or done with); nothing happens when there is none. */
  abstract release(id: string): Promise<void>;
}
