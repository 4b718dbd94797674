import { describe, expect, it } from 'vitest';
import type { MediaView } from '@reelroom/contracts';
import { applyProgress, mergeMedia, removeMedia, upsertMedia } from './media-store';

function media(id: string, over: Partial<MediaView> = {}): MediaView {
  return {
    id,
    roomId: 'room',
    uploaderId: 'user',
    originalName: `${id}.mp4`,
    sizeBytes: 1,
    status: 'queued',
    kind: 'video',
    progress: 0,
    sourceUrl: null,
    importedBytes: null,
    importTotalBytes: null,
    etaSec: null,
    queuePosition: null,
    playable: false,
    posterUrl: null,
    storyboardUrl: null,
    error: null,
    durationSec: null,
    width: null,
    height: null,
    renditions: [],
    playbackUrl: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

describe(upsertMedia.name, () => {
  it('inserts new items newest first', () => {
    const list = upsertMedia([media('a')], media('b', { createdAt: '2026-01-02T00:00:00.000Z' }));
    expect(list.map((m) => m.id)).toEqual(['b', 'a']);
  });

  it('keeps the later version when an older one arrives late', () => {
    const ready = media('a', { status: 'ready', progress: 100, updatedAt: '2026-01-01T00:01:00.000Z' });
    expect(upsertMedia([ready], media('a'))).toEqual([ready]);
    expect(upsertMedia([media('a')], ready)).toEqual([ready]);
  });

  it('never moves a transcode back: a newer row of the same run (now playable) keeps the bar and ETA', () => {
    const at6 = media('a', { status: 'processing', progress: 6, etaSec: 40, updatedAt: '2026-01-01T00:00:05.000Z' });
    const row = media('a', { status: 'processing', progress: 0, playable: true, updatedAt: '2026-01-01T00:00:06.000Z' });
    expect(upsertMedia([at6], row)[0]).toMatchObject({ progress: 6, etaSec: 40, playable: true });
    // A new run (queued again after a retry) starts from its own figures.
    const queued = media('a', { status: 'queued', progress: 0, updatedAt: '2026-01-01T00:00:07.000Z' });
    expect(upsertMedia([at6], queued)[0]).toMatchObject({ status: 'queued', progress: 0 });
  });
});

describe(applyProgress.name, () => {
  it('moves a queued or processing item forward and marks it processing', () => {
    const [m] = applyProgress([media('a')], 'a', 40);
    expect(m).toMatchObject({ status: 'processing', progress: 40 });
    expect(applyProgress([m], 'a', 30)[0].progress).toBe(40);
  });

  it('leaves finished items and unknown ids alone', () => {
    const ready = media('a', { status: 'ready', progress: 100 });
    expect(applyProgress([ready], 'a', 50)[0]).toBe(ready);
    const list = [media('a')];
    expect(applyProgress(list, 'b', 50)).toBe(list);
  });
});

describe(`${applyProgress.name} for imports`, () => {
  it('moves an importing item’s bytes forward and keeps it importing', () => {
    const [m] = applyProgress([media('a', { status: 'importing', importedBytes: 0 })], 'a', 25, null, { bytes: 250, totalBytes: 1000 });
    expect(m).toMatchObject({ status: 'importing', progress: 25, importedBytes: 250, importTotalBytes: 1000 });
    expect(applyProgress([m], 'a', 10, null, { bytes: 100, totalBytes: 1000 })[0]).toBe(m);
  });

  it('ignores an import figure for an item that has moved on (queued for its transcode)', () => {
    const list = [media('a', { status: 'queued' })];
    expect(applyProgress(list, 'a', 100, null, { bytes: 1000, totalBytes: 1000 })).toBe(list);
  });
});

describe(mergeMedia.name, () => {
  it('keeps items the listing does not have yet (an upload that just finished)', () => {
    const justUploaded = media('new', { createdAt: '2026-01-03T00:00:00.000Z' });
    const merged = mergeMedia([justUploaded], [media('old')], '2026-01-02T00:00:00.000Z');
    expect(merged.map((m) => m.id)).toEqual(['new', 'old']);
  });

  it('drops items the listing no longer has that predate it (deleted while we were away)', () => {
    const gone = media('gone', { createdAt: '2026-01-01T00:00:00.000Z' });
    const merged = mergeMedia([gone, media('kept')], [media('kept')], '2026-01-02T00:00:00.000Z');
    expect(merged.map((m) => m.id)).toEqual(['kept']);
  });
});

describe(removeMedia.name, () => {
  it('removes the item and leaves the list untouched when it is not there', () => {
    const list = [media('a'), media('b')];
    expect(removeMedia(list, 'a').map((m) => m.id)).toEqual(['b']);
    expect(removeMedia(list, 'zzz')).toBe(list);
  });
});

describe('applyProgress with an ETA', () => {
  it('moves a queued item to processing with its ETA and no queue position', () => {
    const [m] = applyProgress([media('a', { queuePosition: 2 })], 'a', 10, 42);
    expect(m).toMatchObject({ status: 'processing', progress: 10, etaSec: 42, queuePosition: null });
  });
});
