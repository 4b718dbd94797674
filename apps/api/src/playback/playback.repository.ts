import type { LiveMode, LiveStatus } from '@reelroom/contracts';

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

/** The room's current or last live (RoomLive), as far as switching the room to it goes. */
export interface PlaybackLive {
  streamId: string | null;
  status: LiveStatus;
  mode: LiveMode;
}

/** The few database reads playback needs: room options, media readiness, the room's live (PrismaPlaybackRepository). */
export abstract class PlaybackRepository {
  abstract room(roomId: string): Promise<PlaybackRoom | null>;
  abstract media(mediaId: string): Promise<PlaybackMedia | null>;
  abstract live(roomId: string): Promise<PlaybackLive | null>;
}
