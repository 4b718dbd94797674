import type { LiveEndReason, LiveMode, LiveStatus } from '@reelroom/contracts';

/** A room's live row (RoomLive). */
export interface LiveRecord {
  roomId: string;
  /** sha256 (hex) of the stream key; null when the key is disabled. */
  streamKeyHash: string | null;
  status: LiveStatus;
  mode: LiveMode;
  /** The current or last live: its files and, once ended and ready, its replay media id. */
  streamId: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  replayMediaId: string | null;
  /** Set when the transcoder ended the live on a bound; null for an ordinary end. */
  endReason: LiveEndReason | null;
}

/** Rooms' live rows as LiveService and HLS access need them (PrismaLiveRepository in production). */
export abstract class LiveRepository {
  abstract find(roomId: string): Promise<LiveRecord | null>;
  /** The live whose files are `<streamId>/hls` (HLS access), or null. */
  abstract findByStream(streamId: string): Promise<LiveRecord | null>;
  /** Creates the row or replaces its key hash and mode (a new key disables the old one at once). */
  abstract setKey(roomId: string, keyHash: string, mode: LiveMode): Promise<LiveRecord>;
  /** Replaces the key hash of an existing row; false when the room has no live row. */
  abstract rotateKey(roomId: string, keyHash: string): Promise<LiveRecord | null>;
  /** Disables the key (null hash); false when there was no row. */
  abstract disableKey(roomId: string): Promise<boolean>;
  /** Every enabled key hash with its room, for the RTMP server's synchronous key check. */
  abstract enabledKeys(): Promise<Array<{ roomId: string; streamKeyHash: string }>>;
  /**
   * Reserve-then-act, in one statement: the row becomes `starting` with this stream id only while the key
   * hash still matches, no live is running (idle or ended, or a running one whose API process stopped
   * refreshing it before `staleBefore`: it crashed) and the room is open. True when it did.
   */
  abstract claim(roomId: string, keyHash: string | null, streamId: string, staleBefore: Date): Promise<boolean>;
  /**
   * The room's row, created idle (without a key) when missing: a browser live needs the row but no RTMP key.
   * `keyHash` null in `claim` skips the key check (a browser live's one-time key is never stored).
   */
  abstract ensureRow(roomId: string): Promise<void>;
  /** Which of these rooms are still open (a browser live has no key row to say so). */
  abstract openRooms(roomIds: string[]): Promise<Set<string>>;
  /** The API process holding these lives' publishers says they still run (updatedAt = now). */
  abstract heartbeat(streamIds: string[]): Promise<void>;
  /** live -> starting while a dropped encoder may come back; true when this call changed it. */
  abstract reconnecting(streamId: string): Promise<boolean>;
  /** starting -> live when the encoder came back; true when this call changed it. */
  abstract resumed(streamId: string): Promise<boolean>;
  /** starting|live -> ended for this stream; true when this call ended it. */
  abstract end(streamId: string): Promise<boolean>;
}
