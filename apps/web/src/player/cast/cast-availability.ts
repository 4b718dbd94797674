import type { MediaView } from '@reelroom/contracts';

/**
 * Whether a casting URL can be made for what the player shows: a stored video or audio of the room that can
 * be played (POST /api/media/:id/cast answers for those, converting or ready). Lives and cameras have none.
 */
export function canCast(media: Pick<MediaView, 'playable' | 'status'> | null | undefined): boolean {
  return !!media && media.playable && media.status !== 'failed';
}
