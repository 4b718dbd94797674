import { chooseAudioRenditions } from './audio-tracks.js';
import { describe, expect, it } from 'vitest';
import { AUDIO_RUNG_NAME } from './hls-command.js';
import { planHls, plannedVariants } from './hls-plan.js';
import { chooseLadder } from './ladder.js';
import type { Bandwidth } from './master-playlist.js';
import type { MediaInfo } from './media-info.js';

const video720: MediaInfo = {
  durationSec: 10,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  streamCount: 2,
  video: { index: 0, codec: 'h264', width: 1280, height: 720, fps: 30, frameRate: '30/1', pixFmt: 'yuv420p', rotation: 0 },
  audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
};

describe(planHls.name, () => {
  it('plans one variant per ladder rung with its size, rate and an estimated bandwidth, and one ffmpeg writing them all', () => {
    const plan = planHls({ info: video720, sourcePath: '/m/x/source', outDir: '/m/x/hls', maxHeight: 1080, firstSegmentSec: 1 });
    expect(plan.variants.map((v) => [v.name, v.kind, v.width, v.height, v.fps])).toEqual([
      ['high', 'video', 1280, 720, 30],
      ['medium', 'video', 854, 480, 30],
      ['low', 'video', 640, 360, 30],
      ['audio', 'audio-rendition', undefined, undefined, undefined],
    ]);
    expect(plan.ladder.map((r) => r.name)).toEqual(['high', 'medium', 'low']);
    // maxrate + 10 % fMP4 overhead for video; the audio rendition 128 kb/s + 10 %, until measured.
    expect(plan.variants.map((v) => v.estimate.peak)).toEqual([
      ...plan.ladder.map((r) => Math.ceil((r.videoBitrate * 11) / 10)),
      Math.ceil((128_000 * 11) / 10),
    ]);
    expect(plan.args[plan.args.indexOf('-var_stream_map') + 1]).toBe('v:0,name:high v:1,name:medium v:2,name:low a:0,name:audio');
    // ffmpeg's own playlist: the served index.m3u8 is HlsPublisher.servePlaylists's.
    expect(plan.args.at(-1)).toBe('/m/x/hls/%v/ffmpeg.m3u8.part');
  });

  it('caps the ladder at maxHeight and marks silent video as video-only', () => {
    const plan = planHls({
      info: { ...video720, audio: undefined, streamCount: 1 },
      sourcePath: '/m/x/source',
      outDir: '/m/x/hls',
      maxHeight: 480,
      firstSegmentSec: 1,
    });
    expect(plan.variants.map((v) => [v.name, v.kind, v.height])).toEqual([
      ['high', 'video', 480],
      ['medium', 'video', 360],
    ]);
  });

  it('plans one audio rung and no ladder for audio-only media', () => {
    const plan = planHls({
      info: { ...video720, video: undefined, formatName: 'mp3', audio: { index: 0, codec: 'mp3', channels: 2, sampleRate: 44100 } },
      sourcePath: '/m/x/source',
      outDir: '/m/x/hls',
      maxHeight: 1080,
      firstSegmentSec: 1,
    });
    expect(plan.variants).toEqual([
      { name: AUDIO_RUNG_NAME, kind: 'audio', estimate: expect.objectContaining({ peak: expect.any(Number) as number }) as Bandwidth },
    ]);
    expect(plan.ladder).toEqual([]);
    expect(plan.args[plan.args.indexOf('-var_stream_map') + 1]).toBe('a:0,name:audio');
    // No keyframes to wait for: audio-only media keeps 2 s segments.
    expect(plan.args[plan.args.indexOf('-hls_time') + 1]).toBe('2');
  });

  it('shares plannedVariants with the live handler: the same variants from the same ladder', () => {
    const plan = planHls({ info: video720, sourcePath: '/m/x/source', outDir: '/m/x/hls', maxHeight: 1080, firstSegmentSec: 1 });
    expect(plannedVariants(chooseLadder(video720.video!, { maxHeight: 1080 }), chooseAudioRenditions(video720))).toEqual(plan.variants);
    // The live handler's one main track: the same folder and estimate, named "Main" by the master's default.
    expect(plannedVariants(chooseLadder(video720.video!, { maxHeight: 1080 }), true).map((v) => v.name)).toEqual(
      plan.variants.map((v) => v.name),
    );
  });
});
