import { describe, expect, it } from 'vitest';
import { goLiveStatus, pickRecorderMime, publishSocketUrl, RateMeter, unsentMs, whipFallsBack } from './browser-live-core';

describe('browser go-live helpers', () => {
  it('prefers H.264 (copied by the relay) and falls back to VP8', () => {
    expect(pickRecorderMime((m) => m.includes('h264') || m.includes('vp8'))).toBe('video/webm;codecs=h264,opus');
    expect(pickRecorderMime((m) => m.includes('vp8'))).toBe('video/webm;codecs=vp8,opus');
    expect(pickRecorderMime(() => false)).toBeNull();
  });

  it('estimates unsent recorded time from the send buffer and the recording rate', () => {
    expect(unsentMs(0, 100)).toBe(0);
    expect(unsentMs(400_000, 100)).toBe(4000);
    expect(unsentMs(10, 0)).toBe(Infinity);
    // The rate is not known yet (the first chunks): nothing is judged.
    expect(unsentMs(10_000_000, null)).toBe(0);
  });

  it('measures the recording rate over its window only', () => {
    const m = new RateMeter(1000);
    m.add(0, 999_999);
    expect(m.bytesPerMs()).toBeNull();
    m.add(500, 100);
    expect(m.bytesPerMs()).toBeNull();
    m.add(1000, 100);
    expect(m.bytesPerMs()).toBeCloseTo(0.2);
    m.add(1600, 100);
    // Samples older than the window fell out: 100 bytes between 1000 and 1600 ms.
    expect(m.bytesPerMs(500)).toBeCloseTo(100 / 600);
  });

  it('builds the socket URL on the page own origin, wss on https', () => {
    expect(publishSocketUrl({ protocol: 'https:', host: 'watch.example' }, 'r', 'video/webm;codecs=h264,opus')).toBe(
      'wss://watch.example/api/live/publish?room=r&mime=video%2Fwebm%3Bcodecs%3Dh264%2Copus',
    );
    expect(publishSocketUrl({ protocol: 'http:', host: 'localhost:3000' }, 'r', 'video/webm')).toMatch(/^ws:\/\/localhost:3000\//);
  });

  it('falls back from WHIP to the recorder socket when the server cannot take WHIP, and shows a refusal of the person or room', () => {
    for (const status of [400, 404, 413, 415, 500, 502, 503, 504]) expect(whipFallsBack(status)).toBe(true);
    for (const status of [401, 403, 409]) expect(whipFallsBack(status)).toBe(false);
  });

  it('says "You are live" only once the room has the live on air', () => {
    const idle = { roomLive: false, roomOnAir: false };
    expect(goLiveStatus('connecting', idle)).toBe('Connecting…');
    expect(goLiveStatus('live', idle)).toBe('Sending; the room sees you in a moment…');
    expect(goLiveStatus('live', { roomLive: true, roomOnAir: false })).toBe('Sending; the room sees you in a moment…');
    expect(goLiveStatus('live', { roomLive: true, roomOnAir: true })).toBe('You are live from this browser. Keep this tab open.');
    expect(goLiveStatus('preview', { roomLive: true, roomOnAir: true })).toBe('The room is already live.');
    expect(goLiveStatus('preview', idle)).toBe('Check your picture, then go live.');
  });
});
