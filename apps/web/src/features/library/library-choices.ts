import type { LibraryItemView } from '@reelroom/contracts';

/**
 * What "Add from my library" offers in a room: my ready videos that this room does not have yet, newest
 * first (the one just uploaded elsewhere is the likely pick).
 */
export function libraryChoices(items: readonly LibraryItemView[], roomId: string): LibraryItemView[] {
  return items
    .filter((i) => i.status === 'ready' && !i.rooms.some((r) => r.roomId === roomId))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
