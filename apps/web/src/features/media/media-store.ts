import type { MediaView } from '@reelroom/contracts';

/** Newest first, the order the API lists media in. */
function byNewest(a: MediaView, b: MediaView): number {
  return b.createdAt.localeCompare(a.createdAt);
}

/**
 * Inserts or replaces one item. A socket event and an HTTP reply can arrive in either order, so the
 * copy with the later `updatedAt` wins.
 */
export function upsertMedia(list: MediaView[], item: MediaView): MediaView[] {
  const i = list.findIndex((m) => m.id === item.id);
  if (i === -1) return [...list, item].sort(byNewest);
  const current = list[i];
  if (current.updatedAt > item.updatedAt) return list;
  const next = list.slice();
  // Same version but a progress event already moved the bar further: keep the bar where it is.
  next[i] = current.updatedAt === item.updatedAt && current.status === item.status ? { ...item, progress: Math.max(item.progress, current.progress) } : item;
  return next;
}

/** Merges a fresh listing with what events already told us (media are never deleted, so nothing is dropped). */
export function mergeMedia(list: MediaView[], fetched: MediaView[]): MediaView[] {
  return fetched.reduce(upsertMedia, list);
}

/** Progress events carry no timestamp; they only move progress forward on an item still processing. */
export function applyProgress(list: MediaView[], mediaId: string, progress: number): MediaView[] {
  const i = list.findIndex((m) => m.id === mediaId);
  if (i === -1) return list;
  const current = list[i];
  if (current.status === 'ready' || current.status === 'failed') return list;
  if (progress <= current.progress && current.status === 'processing') return list;
  const next = list.slice();
  next[i] = { ...current, status: 'processing', progress: Math.min(100, Math.max(0, progress)) };
  return next;
}
