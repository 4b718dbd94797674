export interface PlaybackRoom {
  id: string;
  controlLocked: boolean;
  waitForEveryone: boolean;
  closedAt: Date | null;
}

export interface PlaybackMedia {
  id: string;
  roomId: string;
  originalName: string;
  status: string;
  playable: boolean;
  durationSec: number | null;
}

/** The few database reads playback needs: room options, media readiness (PrismaPlaybackRepository). */
export abstract class PlaybackRepository {
  abstract room(roomId: string): Promise<PlaybackRoom | null>;
  abstract media(mediaId: string): Promise<PlaybackMedia | null>;
}
