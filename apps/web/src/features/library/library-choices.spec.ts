import { describe, expect, it } from 'vitest';
import type { LibraryItemView } from '@reelroom/contracts';
import { libraryChoices } from './library-choices';

const item = (over: Partial<LibraryItemView>): LibraryItemView => ({
  mediaId: '11111111-1111-4111-8111-111111111111',
  title: 'Holiday.mp4',
  kind: 'video',
  status: 'ready',
  durationSec: 12,
  sizeBytes: 1000,
  posterUrl: null,
  rooms: [{ roomId: 'A', roomName: 'Room A', mediaId: '11111111-1111-4111-8111-111111111111' }],
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe(libraryChoices.name, () => {
  it('offers my ready videos this room does not have, newest first', () => {
    const older = item({ title: 'Older' });
    const newer = item({ title: 'Newer', createdAt: '2026-01-02T00:00:00.000Z' });
    const here = item({ title: 'Here', rooms: [{ roomId: 'B', roomName: 'Room B', mediaId: 'x' }] });
    const converting = item({ title: 'Converting', status: 'processing' });
    const failed = item({ title: 'Failed', status: 'failed' });
    expect(libraryChoices([older, here, converting, newer, failed], 'B').map((i) => i.title)).toEqual(['Newer', 'Older']);
  });

  it('offers nothing when the library is empty', () => {
    expect(libraryChoices([], 'B')).toEqual([]);
  });
});
