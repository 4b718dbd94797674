import { MEDIA_FILES, mediaFileUrl, type LibraryItemView, type MediaStatus } from '@reelroom/contracts';
import type { MediaRecord } from './media.repository.js';

/**
 * The library (issue 12), pure rules. A stored video is the folder MEDIA_ROOT/<folder>/; each room that
 * has it holds one Media row, the first (uploaded or imported) with `storageId` null, every copy added
 * from the library with `storageId` = that folder. Everything keyed by a row (the room's list, HLS
 * access, "Up next", playback, subtitles) stays per room; only the files are shared.
 */
export function storageFolderOf(m: Pick<MediaRecord, 'id' | 'storageId'>): string {
  return m.storageId ?? m.id;
}

/** One of my rows, with its room and whether I may still watch there (an unbanned member of an open room). */
export interface LibraryRow {
  media: MediaRecord;
  roomName: string;
  watchable: boolean;
}

// The better of two statuses for the library's one line per video: ready wins, then work in progress.
const STATUS_RANK: Record<MediaStatus, number> = { ready: 4, processing: 3, queued: 2, importing: 1, failed: 0 };

/**
 * Groups my rows by stored folder, oldest first. `mediaId` and the poster come from a copy in a room I
 * can still watch in (the poster is served through that room's access check), else from the first copy.
 */
export function toLibraryItems(rows: readonly LibraryRow[]): LibraryItemView[] {
  const groups = new Map<string, LibraryRow[]>();
  const sorted = [...rows].sort((a, b) => a.media.createdAt.getTime() - b.media.createdAt.getTime());
  for (const row of sorted) {
    const folder = storageFolderOf(row.media);
    const group = groups.get(folder);
    if (group) group.push(row);
    else groups.set(folder, [row]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0].media;
    const via = group.find((r) => r.watchable);
    const status = group.map((r) => r.media.status).reduce((a, b) => (STATUS_RANK[b] > STATUS_RANK[a] ? b : a));
    return {
      mediaId: (via ?? group[0]).media.id,
      title: first.originalName,
      kind: first.kind,
      status,
      durationSec: first.durationSec,
      sizeBytes: Number(first.sizeBytes),
      posterUrl: via && via.media.hasPoster ? mediaFileUrl(via.media.id, MEDIA_FILES.poster) : null,
      rooms: group.map((r) => ({ roomId: r.media.roomId, roomName: r.roomName, mediaId: r.media.id })),
      createdAt: first.createdAt.toISOString(),
    };
  });
}

export type LibraryRefusal = { status: 404 | 409; message: string };

export const LIBRARY_REFUSALS = {
  /** Also someone else's video: the same answer, so the endpoint does not tell which ids exist. */
  unknown: { status: 404, message: 'This video is not in your library (it does not exist or was deleted).' },
  notReady: { status: 409, message: 'This video is not ready yet: add it to other rooms once it has finished converting.' },
  already: { status: 409, message: 'This video is already in this room.' },
} as const satisfies Record<string, LibraryRefusal>;

/** Why `source` cannot be added to a room by `userId` from their library, or null when it can. */
export function libraryAddRefusal(source: Pick<MediaRecord, 'uploaderId' | 'status'> | null, userId: string): LibraryRefusal | null {
  // Someone else's video is refused as an unknown one, before its state is read: a 403 or a "not ready"
  // would confirm that the id exists.
  if (!source || source.uploaderId !== userId) return LIBRARY_REFUSALS.unknown;
  if (source.status !== 'ready') return LIBRARY_REFUSALS.notReady;
  return null;
}

/**
 * The copy a room gets: the stored video's metadata as its holder has it, ready at once (nothing to
 * upload or transcode), owned by the same person, pointing at the holder's folder.
 */
export function libraryCopyOf(holder: MediaRecord, id: string, roomId: string) {
  return {
    id,
    roomId,
    uploaderId: holder.uploaderId,
    originalName: holder.originalName,
    sizeBytes: holder.sizeBytes,
    status: 'ready' as const,
    kind: holder.kind,
    progress: 100,
    playable: true,
    hasPoster: holder.hasPoster,
    hasStoryboard: holder.hasStoryboard,
    sourceUrl: holder.sourceUrl,
    durationSec: holder.durationSec,
    width: holder.width,
    height: holder.height,
    renditions: holder.renditions ?? [],
    storageId: storageFolderOf(holder),
  };
}

/**
 * What deleting one row frees: everything when it was the folder's last row; a copy's own folder
 * (<id>/, its subtitle files) when others still play the shared files; nothing for a first row whose
 * folder others still play (its subtitle files go with the folder, with the last row).
 */
export function foldersToDelete(m: Pick<MediaRecord, 'id' | 'storageId'>, last: boolean): string[] {
  const folder = storageFolderOf(m);
  if (last) return folder === m.id ? [folder] : [folder, m.id];
  return folder === m.id ? [] : [m.id];
}
