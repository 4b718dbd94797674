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
  // Same version, or a newer row of the same run (a mid-transcode change such as `playable`, whose row
  // holds progress written up to a second ago): a progress event already moved the bar further, and the
  // bar never goes back within a run (it did: 6 % -> 0 %). A new run starts from queued.
  const sameRun = current.status === item.status && (current.updatedAt === item.updatedAt || item.status === 'processing');
  next[i] =
    sameRun && current.progress > item.progress ? { ...item, progress: current.progress, etaSec: item.etaSec ?? current.etaSec } : item;
  return next;
}

/**
 * Merges a fresh listing with what events already told us. The listing is the truth about which items
 * exist: an item it lacks was deleted, unless it is newer than the listing (an event that overtook it).
 */
export function mergeMedia(list: MediaView[], fetched: MediaView[], fetchedAt = new Date().toISOString()): MediaView[] {
  const ids = new Set(fetched.map((m) => m.id));
  const kept = list.filter((m) => ids.has(m.id) || m.createdAt > fetchedAt);
  return fetched.reduce(upsertMedia, kept);
}

/** Drops a deleted item. */
export function removeMedia(list: MediaView[], mediaId: string): MediaView[] {
  return list.some((m) => m.id === mediaId) ? list.filter((m) => m.id !== mediaId) : list;
}

/** What an import's progress event adds: bytes fetched so far and the declared total (null when unknown). */
export interface ImportBytes {
  bytes?: number;
  totalBytes?: number | null;
}

/**
 * Progress events carry no timestamp; they only move progress forward on an item still processing. An
 * import's events (they carry bytes) move its bytes forward and leave it `importing`.
 */
export function applyProgress(
  list: MediaView[],
  mediaId: string,
  progress: number,
  etaSec: number | null = null,
  imported: ImportBytes = {},
): MediaView[] {
  const i = list.findIndex((m) => m.id === mediaId);
  if (i === -1) return list;
  const current = list[i];
  if (current.status === 'ready' || current.status === 'failed') return list;
  if (current.status === 'importing' || imported.bytes !== undefined) {
    if (current.status !== 'importing' || imported.bytes === undefined || imported.bytes < (current.importedBytes ?? 0)) return list;
    const next = list.slice();
    next[i] = {
      ...current,
      progress: Math.min(100, Math.max(0, progress)),
      importedBytes: imported.bytes,
      importTotalBytes: imported.totalBytes ?? null,
    };
    return next;
  }
  if (progress <= current.progress && current.status === 'processing') return list;
  const next = list.slice();
  next[i] = { ...current, status: 'processing', queuePosition: null, progress: Math.min(100, Math.max(0, progress)), etaSec };
  return next;
}
