import { describe, expect, it } from 'vitest';
import { MediaRejectedError } from './media-rejected.error.js';
import { parseProbeOutput, parseRational, parseSampleAspect, rotationOf } from './probe-parser.js';

// Captured from `ffprobe -v error -show_format -show_streams -print_format json` (ffprobe 5.1.9) on clips
// generated with lavfi testsrc2/sine; fields we do not read were trimmed.

/** The fields of a fixture that the tests below edit. */
interface EditableProbe {
  format: { duration?: string };
  streams: Array<{ duration?: string; tags?: Record<string, string> }>;
}

/** testsrc2 1280x720@30 + mono sine, libx264 ultrafast + aac, mp4. */
const mp4With720pAndAudio = {
  streams: [
    {
      index: 0,
      codec_name: 'h264',
      codec_type: 'video',
      width: 1280,
      height: 720,
      pix_fmt: 'yuv420p',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      duration: '4.000000',
      bit_rate: '7465864',
      disposition: { default: 1, attached_pic: 0 },
      tags: { language: 'und', handler_name: 'VideoHandler', vendor_id: '[0][0][0][0]', encoder: 'Lavc59.37.100 libx264' },
    },
    {
      index: 1,
      codec_name: 'aac',
      codec_type: 'audio',
      sample_rate: '48000',
      channels: 1,
      r_frame_rate: '0/0',
      avg_frame_rate: '0/0',
      duration: '4.000000',
      bit_rate: '69652',
      disposition: { default: 1, attached_pic: 0 },
    },
  ],
  format: { nb_streams: 2, format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '4.000000', size: '3772816', bit_rate: '7545632' },
};

/** The same file remuxed with `-metadata:s:v:0 rotate=90`: ffprobe 5.1 reports a display matrix. */
const rotatedMp4 = {
  ...mp4With720pAndAudio,
  streams: [
    {
      ...mp4With720pAndAudio.streams[0],
      side_data_list: [
        {
          side_data_type: 'Display Matrix',
          displaymatrix:
            '\n00000000:            0      -65536           0\n00000001:        65536           0           0\n00000002:            0           0  1073741824\n',
          rotation: 90,
        },
      ],
    },
    mp4With720pAndAudio.streams[1],
  ],
};

/** testsrc2 1080x1920 at 30000/1001, no audio. */
const portraitNtsc = {
  streams: [
    {
      index: 0,
      codec_name: 'h264',
      codec_type: 'video',
      width: 1080,
      height: 1920,
      pix_fmt: 'yuv420p',
      r_frame_rate: '30000/1001',
      avg_frame_rate: '30000/1001',
      duration: '2.002000',
      bit_rate: '15737618',
      disposition: { default: 1, attached_pic: 0 },
    },
  ],
  format: { nb_streams: 1, format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '2.002000', size: '3939466', bit_rate: '15742121' },
};

/** 640x480@60 in Matroska: streams carry no duration or bit_rate, only a DURATION tag. */
const mkv60 = {
  streams: [
    {
      index: 0,
      codec_name: 'h264',
      codec_type: 'video',
      width: 640,
      height: 480,
      pix_fmt: 'yuv420p',
      r_frame_rate: '60/1',
      avg_frame_rate: '60/1',
      disposition: { default: 0, attached_pic: 0 },
      tags: { ENCODER: 'Lavc59.37.100 libx264', DURATION: '00:00:02.000000000' },
    },
  ],
  format: { nb_streams: 1, format_name: 'matroska,webm', duration: '2.000000', size: '1037224', bit_rate: '4148896' },
};

/** mp3 with a PNG cover (disposition attached_pic=1). */
const mp3WithCover = {
  streams: [
    {
      index: 0,
      codec_name: 'mp3',
      codec_type: 'audio',
      sample_rate: '44100',
      channels: 1,
      r_frame_rate: '0/0',
      avg_frame_rate: '0/0',
      duration: '2.037551',
      bit_rate: '64000',
      disposition: { default: 0, attached_pic: 0 },
    },
    {
      index: 1,
      codec_name: 'png',
      codec_type: 'video',
      width: 320,
      height: 240,
      pix_fmt: 'rgb24',
      r_frame_rate: '90000/1',
      avg_frame_rate: '0/0',
      duration: '2.037556',
      disposition: { default: 0, attached_pic: 1 },
      tags: { comment: 'Other' },
    },
  ],
  format: { nb_streams: 2, format_name: 'mp3', duration: '2.037551', size: '16718', bit_rate: '65640' },
};

describe(parseProbeOutput.name, () => {
  it('reads a 720p mp4 with audio into MediaInfo', () => {
    expect(parseProbeOutput(mp4With720pAndAudio)).toEqual({
      durationSec: 4,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      streamCount: 2,
      sizeBytes: 3772816,
      bitrate: 7545632,
      video: {
        index: 0,
        codec: 'h264',
        width: 1280,
        height: 720,
        fps: 30,
        frameRate: '30/1',
        bitrate: 7465864,
        pixFmt: 'yuv420p',
        rotation: 0,
      },
      audio: { index: 1, codec: 'aac', channels: 1, sampleRate: 48000, bitrate: 69652, isDefault: true },
      audioTracks: [{ index: 1, codec: 'aac', channels: 1, sampleRate: 48000, bitrate: 69652, isDefault: true }],
    });
  });

  it('lists every audio stream with its tags; the main audio is the default-disposition one, else the first', () => {
    const base = mp4With720pAndAudio.streams[1];
    const twoTracks = (defaultIndex: number | undefined) => ({
      ...mp4With720pAndAudio,
      streams: [
        mp4With720pAndAudio.streams[0],
        { ...base, index: 1, disposition: { default: defaultIndex === 1 ? 1 : 0 }, tags: { language: 'eng', title: 'English' } },
        { ...base, index: 2, channels: 6, disposition: { default: defaultIndex === 2 ? 1 : 0 }, tags: { LANGUAGE: 'fra' } },
      ],
    });
    const info = parseProbeOutput(twoTracks(2));
    expect(info.audioTracks).toEqual([
      expect.objectContaining({ index: 1, language: 'eng', title: 'English' }),
      expect.objectContaining({ index: 2, channels: 6, language: 'fra', isDefault: true }),
    ]);
    expect(info.audio?.index).toBe(2);
    expect(info.audioTracks?.[0]?.isDefault).toBeUndefined();
    expect(parseProbeOutput(twoTracks(undefined)).audio?.index).toBe(1);
  });

  it('lists subtitle streams with their codec, language and title, and none when there are none', () => {
    const withSubs = {
      ...mp4With720pAndAudio,
      streams: [
        ...mp4With720pAndAudio.streams,
        { index: 2, codec_name: 'subrip', codec_type: 'subtitle', tags: { language: 'eng', title: 'English SDH' } },
        { index: 3, codec_name: 'hdmv_pgs_subtitle', codec_type: 'subtitle' },
      ],
    };
    expect(parseProbeOutput(withSubs).subtitles).toEqual([
      { index: 2, codec: 'subrip', language: 'eng', title: 'English SDH' },
      { index: 3, codec: 'hdmv_pgs_subtitle' },
    ]);
    expect(parseProbeOutput(mp4With720pAndAudio).subtitles).toBeUndefined();
  });

  it('accepts the JSON as text, as ffprobe prints it', () => {
    expect(parseProbeOutput(JSON.stringify(portraitNtsc)).video?.height).toBe(1920);
  });

  it('keeps NTSC rates exact and reports portrait sizes as they are', () => {
    const info = parseProbeOutput(portraitNtsc);
    expect(info.video).toMatchObject({ width: 1080, height: 1920, frameRate: '30000/1001' });
    expect(info.video!.fps).toBeCloseTo(29.97, 2);
    expect(info.audio).toBeUndefined();
  });

  it('swaps width and height for a 90 degree display matrix', () => {
    expect(parseProbeOutput(rotatedMp4).video).toMatchObject({ width: 720, height: 1280, rotation: 90 });
  });

  it('reads the display aspect of anamorphic video (sample aspect ratio), rotated too, and none for square pixels', () => {
    const anamorphic: EditableProbe = structuredClone(mp4With720pAndAudio);
    Object.assign(anamorphic.streams[0], { width: 1440, height: 1080, sample_aspect_ratio: '4:3' });
    expect(parseProbeOutput(anamorphic).video).toMatchObject({ width: 1440, height: 1080, displayAspect: 16 / 9 });
    anamorphic.streams[0].tags!.rotate = '90';
    expect(parseProbeOutput(anamorphic).video!.displayAspect).toBeCloseTo(9 / 16, 6);
    expect(parseProbeOutput(mp4With720pAndAudio).video!.displayAspect).toBeUndefined();
    expect([parseSampleAspect('1:1'), parseSampleAspect('0:1'), parseSampleAspect('N/A'), parseSampleAspect('1280:1281')]).toEqual([
      undefined,
      undefined,
      undefined,
      1280 / 1281,
    ]);
  });

  it('honours the legacy rotate tag', () => {
    const legacy: EditableProbe = structuredClone(mp4With720pAndAudio);
    legacy.streams[0].tags!.rotate = '270';
    expect(parseProbeOutput(legacy).video).toMatchObject({ width: 720, height: 1280, rotation: 270 });
  });

  it('falls back to r_frame_rate when avg_frame_rate is 0/0', () => {
    const noAvg = structuredClone(portraitNtsc);
    noAvg.streams[0].avg_frame_rate = '0/0';
    expect(parseProbeOutput(noAvg).video?.frameRate).toBe('30000/1001');
  });

  it('reads Matroska files whose streams have no duration or bit rate', () => {
    const info = parseProbeOutput(mkv60);
    expect(info).toMatchObject({ durationSec: 2, formatName: 'matroska,webm' });
    expect(info.video).toMatchObject({ fps: 60, width: 640, height: 480 });
    expect(info.video!.bitrate).toBeUndefined();
  });

  it('falls back to stream durations when the container has none', () => {
    const noFormatDuration: EditableProbe = structuredClone(mkv60);
    delete noFormatDuration.format.duration;
    expect(parseProbeOutput(noFormatDuration).durationSec).toBe(2);

    const mp4: EditableProbe = structuredClone(mp4With720pAndAudio);
    mp4.format.duration = 'N/A';
    mp4.streams[0].duration = '3.5';
    expect(parseProbeOutput(mp4).durationSec).toBe(3.5);
  });

  it('reports 0 when nothing says how long the file is', () => {
    const unknown: EditableProbe = structuredClone(mkv60);
    delete unknown.format.duration;
    delete unknown.streams[0].tags?.DURATION;
    expect(parseProbeOutput(unknown).durationSec).toBe(0);
  });

  it('does not treat a cover picture as video, but still counts it as a stream', () => {
    const info = parseProbeOutput(mp3WithCover);
    expect(info.video).toBeUndefined();
    expect(info.audio).toMatchObject({ codec: 'mp3', sampleRate: 44100 });
    expect(info.streamCount).toBe(2);
  });

  it('rejects output that is not ffprobe JSON', () => {
    expect(() => parseProbeOutput('{\n\n}')).toThrow(MediaRejectedError);
    expect(() => parseProbeOutput('not json')).toThrow(/This file is not a video we can read/);
    expect(() => parseProbeOutput({ streams: [], format: {} })).toThrow(MediaRejectedError);
  });
});

describe(parseRational.name, () => {
  it('parses ffmpeg rationals and refuses 0/0', () => {
    expect(parseRational('30000/1001')?.value).toBeCloseTo(29.97003, 5);
    expect(parseRational('0/0')).toBeUndefined();
    expect(parseRational('N/A')).toBeUndefined();
    expect(parseRational('30/0')).toBeUndefined();
  });
});

describe(rotationOf.name, () => {
  it('normalises negative and over-full turns', () => {
    expect(rotationOf({ side_data_list: [{ rotation: -90 }] })).toBe(270);
    expect(rotationOf({ side_data_list: [{ rotation: 180 }] })).toBe(180);
    expect(rotationOf({ tags: { rotate: '450' } })).toBe(90);
    expect(rotationOf({})).toBe(0);
  });
});
