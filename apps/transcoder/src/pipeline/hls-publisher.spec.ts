import { describe, expect, it } from 'vitest';
import type { PlannedVariant } from '../ffmpeg/hls-plan.js';
import { MemoryStorage } from '../storage/memory.storage.js';
import { waitForFirstSegments } from './first-segments.js';
import { HlsPublisher } from './hls-publisher.js';

const AUDIO: PlannedVariant = { name: 'audio', kind: 'audio', estimate: { peak: 140_800, average: 140_800 } };
const playlist = (map: string, ...segments: string[]) =>
  ['#EXTM3U', '#EXT-X-PLAYLIST-TYPE:EVENT', `#EXT-X-MAP:URI="${map}"`, ...segments.flatMap((s) => ['#EXTINF:2.0,', s]), ''].join('\n');

describe(HlsPublisher.name, () => {
  it('sees a first segment only when the playlist lists one and both it and the init segment exist', async () => {
    const storage = new MemoryStorage();
    const publisher = new HlsPublisher(storage, 'm1/hls');
    expect(await publisher.hasFirstSegment(AUDIO)).toBe(false);
    await storage.write('m1/hls/audio/index.m3u8', playlist('init.mp4'));
    expect(await publisher.hasFirstSegment(AUDIO)).toBe(false);
    await storage.write('m1/hls/audio/index.m3u8', playlist('init.mp4', 'seg_00000.m4s'));
    await storage.write('m1/hls/audio/init.mp4', 'i');
    expect(await publisher.hasFirstSegment(AUDIO)).toBe(false);
    await storage.write('m1/hls/audio/seg_00000.m4s', 's');
    expect(await publisher.hasFirstSegment(AUDIO)).toBe(true);
  });

  it('moves an init segment written under another name into place, and measures every segment', async () => {
    const storage = new MemoryStorage();
    await storage.write('m1/hls/audio/index.m3u8', playlist('/memory/m1/hls/audio/init_0.mp4', 'seg_00000.m4s', 'seg_00001.m4s'));
    await storage.write('m1/hls/audio/init_0.mp4', 'i');
    await storage.write('m1/hls/audio/seg_00000.m4s', Buffer.alloc(1000));
    await storage.write('m1/hls/audio/seg_00001.m4s', Buffer.alloc(3000));
    const [rung] = await new HlsPublisher(storage, 'm1/hls').publishVod([AUDIO]);
    expect(rung).toMatchObject({
      codecs: 'mp4a.40.2',
      segments: [
        { durationSec: 2, bytes: 1000 },
        { durationSec: 2, bytes: 3000 },
      ],
    });
    expect(await storage.list('m1/hls/audio')).toEqual([
      'm1/hls/audio/index.m3u8',
      'm1/hls/audio/init.mp4',
      'm1/hls/audio/seg_00000.m4s',
      'm1/hls/audio/seg_00001.m4s',
    ]);
    expect(await storage.readText('m1/hls/audio/index.m3u8')).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(await storage.readText('m1/hls/master.m3u8')).toContain('BANDWIDTH=12000');
  });

  it('refuses a playlist that points outside its rung, and one that lists a missing segment', async () => {
    const storage = new MemoryStorage();
    await storage.write('m1/hls/audio/init.mp4', 'i');
    await storage.write('m1/hls/audio/index.m3u8', playlist('init.mp4', '../../source'));
    await expect(new HlsPublisher(storage, 'm1/hls').publishVod([AUDIO])).rejects.toThrow(/unexpected URI in playlist: \.\.\/\.\.\/source/);
    await storage.write('m1/hls/audio/index.m3u8', playlist('init.mp4', 'seg_00000.m4s'));
    await expect(new HlsPublisher(storage, 'm1/hls').publishVod([AUDIO])).rejects.toThrow(/lists seg_00000.m4s, which does not exist/);
  });
});

describe(waitForFirstSegments.name, () => {
  it('polls until every variant has a segment, not asking again about one that has', async () => {
    const seen: string[] = [];
    let polls = 0;
    const publisher = { hasFirstSegment: async (v: PlannedVariant) => (seen.push(v.name), ++polls > 3) };
    const variants = [AUDIO, { ...AUDIO, name: 'other' }];
    expect(await waitForFirstSegments({ publisher, variants, encoding: () => true, pollMs: 1 })).toBe(true);
    // 'other' is ready at the 4th check; after that only 'audio' is asked about.
    expect(seen).toEqual(['audio', 'other', 'audio', 'other', 'audio']);
  });

  it('gives up when the encode ends first', async () => {
    let running = 3;
    const publisher = { hasFirstSegment: async () => false };
    expect(await waitForFirstSegments({ publisher, variants: [AUDIO], encoding: () => running-- > 0, pollMs: 1 })).toBe(false);
  });
});
