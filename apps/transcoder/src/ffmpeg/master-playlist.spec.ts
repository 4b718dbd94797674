import { describe, expect, it } from 'vitest';
import { buildMasterPlaylist, estimateBandwidth, measureBandwidth, type MasterVariant } from './master-playlist.js';

const variant = (name: string, width: number, height: number, segments: MasterVariant['segments'], fps = 30): MasterVariant => ({
  name,
  width,
  height,
  fps,
  codecs: 'avc1.64001f,mp4a.40.2',
  segments,
});

describe(measureBandwidth.name, () => {
  it('takes the peak from the fastest segment and the average over the whole duration', () => {
    // 4 s at 1 MB (2 Mb/s), 4 s at 0.5 MB (1 Mb/s), 2 s at 0.5 MB (2 Mb/s)
    const bw = measureBandwidth([
      { durationSec: 4, bytes: 1_000_000 },
      { durationSec: 4, bytes: 500_000 },
      { durationSec: 2, bytes: 500_000 },
    ]);
    expect(bw).toEqual({ peak: 2_000_000, average: 1_600_000 });
  });

  it('rounds up and ignores zero-length segments', () => {
    expect(
      measureBandwidth([
        { durationSec: 3, bytes: 1000 },
        { durationSec: 0, bytes: 50 },
      ]),
    ).toEqual({ peak: 2667, average: 2667 });
  });

  it('refuses an empty rung', () => {
    expect(() => measureBandwidth([])).toThrow();
  });
});

describe(buildMasterPlaylist.name, () => {
  it('writes every attribute Apple requires, highest variant first', () => {
    const text = buildMasterPlaylist([
      variant('low', 640, 360, [{ durationSec: 4, bytes: 250_000 }]),
      variant('high', 1280, 720, [
        { durationSec: 4, bytes: 1_500_000 },
        { durationSec: 2, bytes: 250_000 },
      ]),
    ]);
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2333334,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000',
        'high/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=500000,AVERAGE-BANDWIDTH=500000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000',
        'low/index.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('names one shared audio rendition from every variant: EXT-X-MEDIA, AUDIO="aud", video+audio CODECS and rates', () => {
    const video = (name: string, w: number, h: number, bytes: number): MasterVariant => ({
      name,
      width: w,
      height: h,
      fps: 30,
      codecs: 'avc1.64001f',
      segments: [{ durationSec: 2, bytes }],
    });
    const text = buildMasterPlaylist([video('high', 1280, 720, 500_000), video('low', 640, 360, 125_000)], {
      name: 'audio',
      codecs: 'mp4a.40.2',
      segments: [{ durationSec: 2, bytes: 32_000 }],
    });
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Main",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"',
        '#EXT-X-STREAM-INF:BANDWIDTH=2128000,AVERAGE-BANDWIDTH=2128000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO="aud"',
        'high/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=628000,AVERAGE-BANDWIDTH=628000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="aud"',
        'low/index.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('lists one rendition per audio track (issue 12): NAME, LANGUAGE, one DEFAULT, rates of the largest track', () => {
    const text = buildMasterPlaylist(
      [{ name: 'high', width: 1280, height: 720, fps: 30, codecs: 'avc1.64001f', segments: [{ durationSec: 2, bytes: 500_000 }] }],
      [
        { name: 'audio', codecs: 'mp4a.40.2', label: 'English', language: 'en', segments: [{ durationSec: 2, bytes: 30_000 }] },
        {
          name: 'audio-2',
          codecs: 'mp4a.40.2',
          label: 'Français',
          language: 'fr',
          isDefault: true,
          segments: [{ durationSec: 2, bytes: 32_000 }],
        },
        { name: 'audio-3', codecs: 'mp4a.40.2', label: 'Track 3', language: 'und', bandwidth: { peak: 1000, average: 900 } },
      ],
    );
    expect(text.split('\n').filter((l) => l.startsWith('#EXT-X-MEDIA'))).toEqual([
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=NO,CHANNELS="2",URI="audio/index.m3u8"',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Français",LANGUAGE="fr",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio-2/index.m3u8"',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Track 3",DEFAULT=NO,AUTOSELECT=NO,CHANNELS="2",URI="audio-3/index.m3u8"',
    ]);
    // 2 000 000 b/s of video plus the largest audio (128 000 b/s): one variant, whichever track plays.
    expect(text).toContain('#EXT-X-STREAM-INF:BANDWIDTH=2128000,AVERAGE-BANDWIDTH=2128000,CODECS="avc1.64001f,mp4a.40.2"');
  });

  it('makes the first audio rendition the default when none is marked', () => {
    const text = buildMasterPlaylist(
      [{ name: 'high', codecs: 'avc1.64001f', segments: [{ durationSec: 2, bytes: 1000 }] }],
      [
        { name: 'audio', codecs: 'mp4a.40.2', label: 'A', segments: [{ durationSec: 2, bytes: 1000 }] },
        { name: 'audio-2', codecs: 'mp4a.40.2', label: 'B', segments: [{ durationSec: 2, bytes: 1000 }] },
      ],
    );
    expect(text).toContain('NAME="A",DEFAULT=YES,AUTOSELECT=YES');
    expect(text).toContain('NAME="B",DEFAULT=NO,AUTOSELECT=NO');
  });

  it('writes NTSC frame rates with three decimals', () => {
    const text = buildMasterPlaylist([variant('high', 1920, 1080, [{ durationSec: 4, bytes: 1 }], 30000 / 1001)]);
    expect(text).toContain('FRAME-RATE=29.970');
  });

  it('refuses an empty ladder', () => {
    expect(() => buildMasterPlaylist([])).toThrow();
  });
});

describe(estimateBandwidth.name, () => {
  it('advertises maxrate plus audio with 10 % container overhead until segments can be measured', () => {
    expect(estimateBandwidth(3_000_000, 128_000)).toEqual({ peak: 3_440_800, average: 3_440_800 });
    expect(estimateBandwidth(0, 128_000)).toEqual({ peak: 140_800, average: 140_800 });
  });
});

describe(`${buildMasterPlaylist.name} (while encoding and audio-only)`, () => {
  it('uses the estimated bandwidth of a variant that has no measured segments yet', () => {
    const text = buildMasterPlaylist([
      {
        name: 'high',
        width: 1280,
        height: 720,
        fps: 30,
        codecs: 'avc1.64001f,mp4a.40.2',
        bandwidth: estimateBandwidth(3_000_000, 128_000),
      },
      { name: 'low', width: 640, height: 360, fps: 30, codecs: 'avc1.64001e,mp4a.40.2', bandwidth: estimateBandwidth(800_000, 96_000) },
    ]);
    expect(text).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=3440800,AVERAGE-BANDWIDTH=3440800,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000\nhigh/index.m3u8',
    );
    expect(text.indexOf('high/')).toBeLessThan(text.indexOf('low/'));
  });

  it('writes an audio-only variant with CODECS and no RESOLUTION or FRAME-RATE', () => {
    const text = buildMasterPlaylist([{ name: 'audio', codecs: 'mp4a.40.2', segments: [{ durationSec: 2, bytes: 32_000 }] }]);
    expect(text).toBe(
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=128000,AVERAGE-BANDWIDTH=128000,CODECS="mp4a.40.2"\naudio/index.m3u8\n',
    );
  });

  it('refuses a variant with neither segments nor an estimate', () => {
    expect(() => buildMasterPlaylist([{ name: 'high', width: 1, height: 1, fps: 30, codecs: 'avc1.64001f' }])).toThrow(/neither/);
  });
});
