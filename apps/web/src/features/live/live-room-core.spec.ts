import Hls from 'hls.js';
import { describe, expect, it } from 'vitest';
import type { LiveStateView, PlaybackStateView } from '@reelroom/contracts';
import { roomState } from '../../player/sync/testing/fake-transport';
import { LIVE_HLS_CONFIG } from './live-format';
import { liveView } from './testing/live-view';
import {
  firstVariantUrl,
  followsRoomPosition,
  liveEdgeSec,
  roomLiveHlsConfig,
  roomStage,
  switchableLive,
  switchPositionSec,
} from './live-room-core';

const LIVE = '0b6a3c55-2f0e-4d1e-9d8e-5a1f7c2b9e10';
const live = (v: Partial<LiveStateView> = {}): LiveStateView =>
  liveView({ status: 'live', liveId: LIVE, playbackUrl: `/media/${LIVE}/master.m3u8`, startedAt: '2026-12-05T20:00:00.000Z', ...v });
/** The room's playback: nothing chosen unless a test says. */
const playback = (v: Partial<PlaybackStateView> = {}): PlaybackStateView => roomState({ mediaId: null, ...v });

describe('roomStage', () => {
  it("follows the room's playback, not the live alone", () => {
    const onLive = playback({ liveId: LIVE, paused: false });
    expect(roomStage(onLive, live())).toEqual({ kind: 'live', src: `/media/${LIVE}/master.m3u8`, mode: 'standard' });
    // On air, but the room watches a video: the video.
    expect(roomStage(playback({ mediaId: 'm1' }), live())).toEqual({ kind: 'media', mediaId: 'm1' });
    expect(roomStage(playback(), live())).toEqual({ kind: 'empty' });
    expect(roomStage(null, null)).toEqual({ kind: 'empty' });
  });

  it('shows a live the room is on but that is off air (ended, another live, not known yet) as such', () => {
    const onLive = playback({ liveId: LIVE, paused: false });
    expect(roomStage(onLive, live({ status: 'ended', playbackUrl: null }))).toEqual({ kind: 'live-off-air' });
    expect(roomStage(onLive, live({ liveId: 'another' }))).toEqual({ kind: 'live-off-air' });
    expect(roomStage(onLive, null)).toEqual({ kind: 'live-off-air' });
  });

  it('keeps a live whose encoder dropped on the stage, on the URL it had, only when this page saw it on air', () => {
    const onLive = playback({ liveId: LIVE, paused: false });
    const dropped = live({ status: 'starting', playbackUrl: null });
    const seen = { any: true, onAir: true };
    expect(roomStage(onLive, dropped, seen)).toEqual({
      kind: 'live',
      src: `/media/${LIVE}/master.m3u8`,
      mode: 'standard',
      reconnecting: true,
    });
    // A live that has not been on air yet (its first start), or one this page never saw on air: waiting.
    expect(roomStage(onLive, dropped, { any: true, onAir: false })).toEqual({ kind: 'live-off-air' });
    expect(roomStage(onLive, dropped)).toEqual({ kind: 'live-off-air' });
    // Ended for good: off air, whatever was seen.
    expect(roomStage(onLive, live({ status: 'ended', playbackUrl: null }), seen)).toEqual({ kind: 'live-off-air' });
  });
});

describe('switchableLive', () => {
  it('offers an on-air live to a person with control while the room is not on it', () => {
    expect(switchableLive(playback({ mediaId: 'm1', paused: false }), live(), true)).toEqual(live());
    expect(switchableLive(playback({ mediaId: 'm1' }), live(), false)).toBeNull();
    expect(switchableLive(playback({ liveId: LIVE }), live(), true)).toBeNull();
    expect(switchableLive(playback(), live({ status: 'starting', playbackUrl: null }), true)).toBeNull();
    expect(switchableLive(playback(), live({ status: 'ended', playbackUrl: null }), true)).toBeNull();
  });
});

describe('the switch position', () => {
  const master = [
    '#EXTM3U',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"',
    '360/index.m3u8',
    '#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=426x240',
    '240/index.m3u8',
  ].join('\n');
  const media = ['#EXTM3U', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-MAP:URI="init.mp4"']
    .concat(Array.from({ length: 12 }, (_, i) => [`#EXTINF:1.000000,`, `seg_${String(i).padStart(5, '0')}.m4s`]).flat())
    .join('\n');

  it('reads the first variant, resolved against where the master came from', () => {
    expect(firstVariantUrl(master, `https://reel.example/media/${LIVE}/master.m3u8`)).toBe(
      `https://reel.example/media/${LIVE}/360/index.m3u8`,
    );
    expect(firstVariantUrl('#EXTM3U\n', 'https://reel.example/m.m3u8')).toBeNull();
  });

  it("sums the EVENT playlist's segments into the edge, and puts the room the latency hint behind it", () => {
    expect(liveEdgeSec(media)).toBe(12);
    expect(liveEdgeSec('#EXTM3U\n#EXTINF:1.001,\na.m4s\n#EXTINF:0.999,\nb.m4s')).toBeCloseTo(2);
    expect(switchPositionSec(12, 3)).toBe(9);
    expect(switchPositionSec(1, 3)).toBe(0);
  });
});

describe('followsRoomPosition', () => {
  it('follows in standard mode (EVENT playlists from the start), not on the sliding low-latency window', () => {
    expect(followsRoomPosition('standard')).toBe(true);
    expect(followsRoomPosition('low')).toBe(false);
  });
});

describe('roomLiveHlsConfig', () => {
  it("keeps the mode's settings but leaves the playhead to the room: no catch-up rate, no jump to the edge", () => {
    const c = roomLiveHlsConfig();
    expect(c).toMatchObject({
      liveSyncDurationCount: LIVE_HLS_CONFIG.liveSyncDurationCount,
      backBufferLength: 30,
      maxLiveSyncPlaybackRate: 1,
    });
    expect(c.liveMaxLatencyDurationCount).toBe(Number.POSITIVE_INFINITY);
  });

  it('is a configuration hls.js accepts (its constructor throws on a bad latency combination)', () => {
    const hls = new Hls({ ...roomLiveHlsConfig() });
    expect(hls.config).toMatchObject(roomLiveHlsConfig());
    hls.destroy();
  });
});
