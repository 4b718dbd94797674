import { describe, expect, it } from 'vitest';
import { foldersToDelete, LIBRARY_REFUSALS, libraryAddRefusal, libraryCopyOf, storageFolderOf, toLibraryItems } from './library.js';
import type { MediaRecord } from './media.repository.js';

const ORIGINAL = '11111111-1111-4111-8111-111111111111';
const COPY = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';

const record = (over: Partial<MediaRecord> = {}): MediaRecord => ({
  id: ORIGINAL,
  roomId: 'a'.repeat(22),
  uploaderId: 'olive',
  originalName: 'Holiday.mp4',
  sizeBytes: 5000n,
  status: 'ready',
  kind: 'video',
  progress: 100,
  sourceUrl: null,
  importedBytes: null,
  importTotalBytes: null,
  etaSec: null,
  playable: true,
  hasPoster: true,
  hasStoryboard: true,
  storageId: null,
  processingStartedAt: null,
  error: null,
  durationSec: 12.5,
  width: 1280,
  height: 720,
  renditions: [{ name: 'high', width: 1280, height: 720, bitrate: 2_000_000 }],
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:01Z'),
  ...over,
});
const copy = (over: Partial<MediaRecord> = {}) =>
  record({ id: COPY, roomId: 'b'.repeat(22), storageId: ORIGINAL, createdAt: new Date('2026-01-02T00:00:00Z'), ...over });

describe('storageFolderOf', () => {
  it('is the row itself for an upload and the first row for a library copy', () => {
    expect(storageFolderOf(record())).toBe(ORIGINAL);
    expect(storageFolderOf(copy())).toBe(ORIGINAL);
  });
});

describe('libraryAddRefusal', () => {
  it('refuses unknown, someone else’s and unfinished videos; accepts my ready one', () => {
    expect(libraryAddRefusal(null, 'olive')).toBe(LIBRARY_REFUSALS.unknown);
    expect(libraryAddRefusal(record(), 'ben')).toBe(LIBRARY_REFUSALS.unknown);
    for (const status of ['importing', 'queued', 'processing', 'failed'] as const) {
      expect(libraryAddRefusal(record({ status }), 'olive')).toBe(LIBRARY_REFUSALS.notReady);
    }
    expect(libraryAddRefusal(record(), 'olive')).toBeNull();
  });

  it('refuses someone else’s video exactly as an unknown one, whatever its state: no answer tells that an id exists', () => {
    for (const status of ['importing', 'queued', 'processing', 'failed', 'ready'] as const) {
      expect(libraryAddRefusal(record({ status }), 'ben')).toEqual(libraryAddRefusal(null, 'ben'));
    }
  });

  it('says refusals with statuses a client can tell apart', () => {
    expect(LIBRARY_REFUSALS.unknown.status).toBe(404);
    expect(LIBRARY_REFUSALS.notReady.status).toBe(409);
    expect(LIBRARY_REFUSALS.already.status).toBe(409);
  });
});

describe('libraryCopyOf', () => {
  it('makes a ready copy in the new room that plays the first row’s folder, owned by the same person', () => {
    const c = libraryCopyOf(record({ sourceUrl: 'https://example.test/v.mp4' }), COPY, 'c'.repeat(22));
    expect(c).toMatchObject({
      id: COPY,
      roomId: 'c'.repeat(22),
      uploaderId: 'olive',
      status: 'ready',
      playable: true,
      progress: 100,
      storageId: ORIGINAL,
      sizeBytes: 5000n,
      durationSec: 12.5,
      hasPoster: true,
      sourceUrl: 'https://example.test/v.mp4',
    });
  });

  it('points a copy of a copy at the first row’s folder, not at the copy', () => {
    expect(libraryCopyOf(copy(), OTHER, 'c'.repeat(22)).storageId).toBe(ORIGINAL);
  });
});

describe('foldersToDelete', () => {
  it('deletes the shared folder only with its last row', () => {
    expect(foldersToDelete(record(), true)).toEqual([ORIGINAL]);
    expect(foldersToDelete(record(), false)).toEqual([]);
  });

  it('deletes a copy’s own folder (its subtitles) always, and the shared one when it was the last', () => {
    expect(foldersToDelete(copy(), false)).toEqual([COPY]);
    expect(foldersToDelete(copy(), true)).toEqual([ORIGINAL, COPY]);
  });
});

describe('toLibraryItems', () => {
  it('lists a stored video once with every room that has it, oldest first', () => {
    const items = toLibraryItems([
      { media: copy(), roomName: 'B', watchable: true },
      { media: record(), roomName: 'A', watchable: true },
      {
        media: record({ id: OTHER, originalName: 'Other.mp4', createdAt: new Date('2026-01-03T00:00:00Z') }),
        roomName: 'A',
        watchable: true,
      },
    ]);
    expect(items.map((i) => i.title)).toEqual(['Holiday.mp4', 'Other.mp4']);
    expect(items[0]).toMatchObject({
      mediaId: ORIGINAL,
      status: 'ready',
      durationSec: 12.5,
      sizeBytes: 5000,
      posterUrl: `/media/${ORIGINAL}/poster.jpg`,
    });
    expect(items[0].rooms).toEqual([
      { roomId: 'a'.repeat(22), roomName: 'A', mediaId: ORIGINAL },
      { roomId: 'b'.repeat(22), roomName: 'B', mediaId: COPY },
    ]);
  });

  it('names the video and its poster through a room I can still watch in', () => {
    const [item] = toLibraryItems([
      { media: record(), roomName: 'A', watchable: false },
      { media: copy(), roomName: 'B', watchable: true },
    ]);
    expect(item.mediaId).toBe(COPY);
    expect(item.posterUrl).toBe(`/media/${COPY}/poster.jpg`);
    const [banned] = toLibraryItems([{ media: record(), roomName: 'A', watchable: false }]);
    expect(banned).toMatchObject({ mediaId: ORIGINAL, posterUrl: null });
  });

  it('shows the most advanced status of its rows', () => {
    const [item] = toLibraryItems([{ media: record({ status: 'processing', hasPoster: false }), roomName: 'A', watchable: true }]);
    expect(item).toMatchObject({ status: 'processing', posterUrl: null });
  });
});
