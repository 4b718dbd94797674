import type { MediaView } from '@reelroom/contracts';

/**
 * What the stage says when nothing plays here: it points at the next step the person can take, never at
 * a list that is empty or has nothing to pick yet.
 */
export function emptyPlayerMessage(items: ReadonlyArray<Pick<MediaView, 'status' | 'playable'>>, roomMediaId: string | null): string {
  if (roomMediaId) return 'The room is playing a video that is not ready here yet…';
  if (items.length === 0)
    return 'No videos here yet. Upload one, add one by link, or drop a file anywhere on the room, to watch it together.';
  if (items.some((m) => m.playable)) return 'Pick a video from the list to play it for everyone.';
  if (items.some((m) => m.status !== 'failed'))
    return 'Your video is on its way (fetching or converting): it can be played from the list as soon as its first seconds are ready.';
  return 'None of these videos can play: retry or delete them from the list, or upload another.';
}
