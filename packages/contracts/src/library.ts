import { z } from 'zod';
import type { MediaKind, MediaStatus } from './media.js';

/**
 * POST /api/rooms/:id/media/from-library: add one of my ready videos to this room without uploading it
 * again (issue 12). `mediaId` is any room's copy of it that I own (a LibraryItemView's `mediaId`).
 */
export const addFromLibrarySchema = z.strictObject({ mediaId: z.uuid() });
export type AddFromLibrary = z.infer<typeof addFromLibrarySchema>;

/** A room that has a library video: its copy there is `mediaId`. */
export interface LibraryRoomView {
  roomId: string;
  roomName: string;
  mediaId: string;
}

/**
 * GET /api/library: one entry per stored video I uploaded or imported, however many rooms have it.
 * `mediaId` names it for "add from library"; `posterUrl` is served through a room I can still watch in.
 */
export interface LibraryItemView {
  mediaId: string;
  title: string;
  kind: MediaKind;
  status: MediaStatus;
  durationSec: number | null;
  sizeBytes: number;
  posterUrl: string | null;
  rooms: LibraryRoomView[];
  createdAt: string;
}

export interface LibraryView {
  items: LibraryItemView[];
}
