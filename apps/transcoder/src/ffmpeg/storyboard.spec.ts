import { describe, expect, it } from 'vitest';
import { buildStoryboardCommand, buildStoryboardVtt, storyboardLayout, vttTimestamp } from './storyboard.js';

describe(storyboardLayout.name, () => {
  it('takes a tile every 2 s for a short video, at most 10 columns, tile height from the aspect ratio', () => {
    expect(storyboardLayout(10, 640, 360)).toEqual({
      intervalSec: 2,
      tiles: 5,
      columns: 5,
      rows: 1,
      tileWidth: 160,
      tileHeight: 90,
      width: 800,
      height: 90,
    });
  });

  it('keeps a 10 min video at 100 tiles or fewer (a tile every 6 s, 10x10)', () => {
    const l = storyboardLayout(600, 640, 360);
    expect(l).toMatchObject({ intervalSec: 6, tiles: 100, columns: 10, rows: 10, width: 1600, height: 900 });
  });

  it('never exceeds 100 tiles, whatever the length', () => {
    for (const d of [1, 7, 199, 201, 601, 3599, 4 * 3600]) {
      const l = storyboardLayout(d, 640, 360);
      expect(l.tiles).toBeLessThanOrEqual(100);
      expect(l.tiles * l.intervalSec).toBeGreaterThanOrEqual(d);
      expect(l.columns * l.rows).toBeGreaterThanOrEqual(l.tiles);
    }
  });

  it('gives portrait videos tall, even tiles', () => {
    expect(storyboardLayout(30, 360, 640).tileHeight).toBe(284);
    expect(storyboardLayout(30, 480, 360).tileHeight).toBe(120);
  });

  it('refuses a zero duration or size', () => {
    expect(() => storyboardLayout(0, 640, 360)).toThrow();
    expect(() => storyboardLayout(10, 0, 360)).toThrow();
  });
});

describe(vttTimestamp.name, () => {
  it('formats hours, minutes, seconds and milliseconds', () => {
    expect(vttTimestamp(0)).toBe('00:00:00.000');
    expect(vttTimestamp(65.5)).toBe('00:01:05.500');
    expect(vttTimestamp(3723.004)).toBe('01:02:03.004');
  });
});

describe(buildStoryboardVtt.name, () => {
  it('writes one cue per tile, row-major, ending at the duration, pointing into the sprite', () => {
    const layout = { intervalSec: 2, tiles: 3, columns: 2, rows: 2, tileWidth: 160, tileHeight: 90, width: 320, height: 180 };
    expect(buildStoryboardVtt(layout, 5, 'storyboard.jpg')).toBe(
      [
        'WEBVTT',
        '',
        '00:00:00.000 --> 00:00:02.000',
        'storyboard.jpg#xywh=0,0,160,90',
        '',
        '00:00:02.000 --> 00:00:04.000',
        'storyboard.jpg#xywh=160,0,160,90',
        '',
        '00:00:04.000 --> 00:00:05.000',
        'storyboard.jpg#xywh=0,90,160,90',
        '',
      ].join('\n'),
    );
  });

  it('keeps every tile inside the sprite for a long video', () => {
    const layout = storyboardLayout(601, 854, 480);
    const vtt = buildStoryboardVtt(layout, 601, 'storyboard.jpg');
    const tiles = [...vtt.matchAll(/#xywh=(\d+),(\d+),(\d+),(\d+)/g)].map((m) => m.slice(1).map(Number));
    expect(tiles).toHaveLength(layout.tiles);
    for (const [x, y, w, h] of tiles) {
      expect(x + w).toBeLessThanOrEqual(layout.width);
      expect(y + h).toBeLessThanOrEqual(layout.height);
    }
  });
});

describe(buildStoryboardCommand.name, () => {
  it('decodes keyframes of our own playlist only, one frame per interval, tiled into one JPEG', () => {
    const layout = storyboardLayout(60, 640, 360);
    const args = buildStoryboardCommand({ playlistPath: '/m/hls/low/index.m3u8', layout, outPath: '/m/hls/.storyboard.jpg.tmp' });
    const input = args.indexOf('-i');
    expect(args.slice(input - 6, input + 2)).toEqual([
      '-protocol_whitelist',
      'file',
      '-skip_frame',
      'nokey',
      '-f',
      'hls',
      '-i',
      'file:/m/hls/low/index.m3u8',
    ]);
    // One frame per interval, the last one included (eof_action=pass), so every VTT cue has its tile.
    expect(args[args.indexOf('-vf') + 1]).toBe('fps=1/2:eof_action=pass,scale=w=160:h=90,format=yuvj420p,tile=10x3');
    expect(args.slice(-1)).toEqual(['/m/hls/.storyboard.jpg.tmp']);
    expect(args[args.indexOf('-frames:v') + 1]).toBe('1');
    // Only the hls demuxer and the mov demuxer it nests for fMP4 segments may open anything.
    expect(args[args.indexOf('-format_whitelist') + 1]).toBe('hls,mov');
  });

  it('refuses relative paths', () => {
    expect(() =>
      buildStoryboardCommand({ playlistPath: 'low/index.m3u8', layout: storyboardLayout(10, 640, 360), outPath: '/x.jpg' }),
    ).toThrow();
  });
});
