import { describe, expect, it } from 'vitest';
import type { PlannedVariant } from '../ffmpeg/hls-plan.js';
import { MemoryStorage } from '../storage/memory.storage.js';
import { waitForFirstSegments } from './first-segments.js';
import { HlsPublisher } from './hls-publisher.js';

const AUDIO: PlannedVariant = { name: 'audio', kind: 'audio', estimate: { peak: 140_800, average: 140_800 } };
const HIGH: PlannedVariant = { name: 'high', kind: 'video', estimate: { peak: 2_000_000, average: 1_500_000 } };
const playlist = (map: string, ...segments: string[]) =>
  ['#EXTM3U', '#EXT-X-PLAYLIST-TYPE:EVENT', `#EXT-X-MAP:URI="${map}"`, ...segments.flatMap((s) => ['#EXTINF:2.0,', s]), ''].join('\n');

describe(HlsPublisher.name, () => {
  it("serves ffmpeg's playlists as index.m3u8, a video rung's with the grid's target duration from the first copy on", async () => {
    const storage = new MemoryStorage();
    const publisher = new HlsPublisher(storage, 'm1/hls');
    const withTarget = (target: number, text: string) => text.replace('#EXTM3U\n', `#EXTM3U\n#EXT-X-TARGETDURATION:${target}\n`);
    // Nothing written by ffmpeg yet: nothing served.
    await publisher.servePlaylists([HIGH, AUDIO]);
    expect(await storage.list('m1/hls')).toEqual([]);

    // ffmpeg says 1 while only 1 s segments are listed, 2 once a 2 s one is: the served copy says 2 throughout.
    const early = withTarget(1, playlist('../high/init.mp4', 'seg_00000.m4s'));
    const later = withTarget(2, playlist('../high/init.mp4', 'seg_00000.m4s', 'seg_00001.m4s', 'seg_00002.m4s'));
    const audio = withTarget(1, playlist('../audio/init.mp4', 'seg_00000.m4s'));
    storage.putLocal(storage.localPath('m1/hls/high/ffmpeg.m3u8.part'), early);
    storage.putLocal(storage.localPath('m1/hls/audio/ffmpeg.m3u8.part'), audio);
    await publisher.servePlaylists([HIGH, AUDIO]);
    expect(await storage.readText('m1/hls/high/index.m3u8')).toBe(early.replace('TARGETDURATION:1', 'TARGETDURATION:2'));
    // An audio rung's segments all have one length: ffmpeg's value never changes, and is kept.
    expect(await storage.readText('m1/hls/audio/index.m3u8')).toBe(audio);

    storage.putLocal(storage.localPath('m1/hls/high/ffmpeg.m3u8.part'), later);
    await publisher.servePlaylists([HIGH]);
    expect(await storage.readText('m1/hls/high/index.m3u8')).toBe(later);
  });

  it('rewrites a served playlist only when ffmpeg changed it, one call after the other', async () => {
    const storage = new MemoryStorage();
    const publisher = new HlsPublisher(storage, 'm1/hls');
    const writes: string[] = [];
    const write = storage.writeLocalText.bind(storage);
    storage.writeLocalText = (key, text) => {
      writes.push(key);
      return write(key, text);
    };
    storage.putLocal(
      storage.localPath('m1/hls/audio/ffmpeg.m3u8.part'),
      `#EXTM3U\n#EXT-X-TARGETDURATION:2\n${playlist('init.mp4', 'seg_00000.m4s').slice(8)}`,
    );
    await Promise.all([publisher.servePlaylists([AUDIO]), publisher.servePlaylists([AUDIO]), publisher.servePlaylists([AUDIO])]);
    expect(writes).toEqual(['m1/hls/audio/index.m3u8']);
  });

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
