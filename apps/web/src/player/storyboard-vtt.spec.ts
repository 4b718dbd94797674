import { describe, expect, it } from 'vitest';
import { cueAt, parseStoryboardVtt, parseVttTime } from './storyboard-vtt';

const VTT = `WEBVTT

00:00:00.000 --> 00:00:02.000
storyboard.jpg#xywh=0,0,160,90

00:00:02.000 --> 00:00:04.000
storyboard.jpg#xywh=160,0,160,90

00:00:04.000 --> 00:00:05.000
storyboard.jpg#xywh=0,90,160,90
`;

describe(parseVttTime.name, () => {
  it('reads hh:mm:ss.mmm and mm:ss.mmm', () => {
    expect(parseVttTime('01:02:03.004')).toBeCloseTo(3723.004, 6);
    expect(parseVttTime('02:03.500')).toBeCloseTo(123.5, 6);
    expect(parseVttTime('nope')).toBeNaN();
  });
});

describe(parseStoryboardVtt.name, () => {
  it('reads every cue with its tile, the sprite URL resolved against the VTT URL', () => {
    const cues = parseStoryboardVtt(VTT, 'http://host/media/abc/storyboard.vtt');
    expect(cues).toHaveLength(3);
    expect(cues[1]).toEqual({ start: 2, end: 4, url: 'http://host/media/abc/storyboard.jpg', x: 160, y: 0, w: 160, h: 90 });
    expect(cues[2]).toMatchObject({ start: 4, end: 5, x: 0, y: 90 });
  });

  it('skips cues without a usable #xywh and refuses text that is not WebVTT', () => {
    const messy = `WEBVTT\r\n\r\n1\r\n00:00:00.000 --> 00:00:01.000\r\nsprite.jpg\r\n\r\n00:00:01.000 --> 00:00:02.000 align:start\r\nsprite.jpg#xywh=1,2,3,4\r\n`;
    expect(parseStoryboardVtt(messy, 'http://h/v/s.vtt')).toEqual([
      { start: 1, end: 2, url: 'http://h/v/sprite.jpg', x: 1, y: 2, w: 3, h: 4 },
    ]);
    expect(parseStoryboardVtt('<html>', 'http://h/s.vtt')).toEqual([]);
  });
});

describe(cueAt.name, () => {
  const cues = parseStoryboardVtt(VTT, 'http://h/storyboard.vtt');
  it('finds the tile for a time, clamping past the ends', () => {
    expect(cueAt(cues, 0)?.x).toBe(0);
    expect(cueAt(cues, 3.9)?.x).toBe(160);
    expect(cueAt(cues, 4)?.y).toBe(90);
    expect(cueAt(cues, 99)?.y).toBe(90);
    expect(cueAt(cues, -1)?.x).toBe(0);
    expect(cueAt([], 1)).toBeUndefined();
  });
});
