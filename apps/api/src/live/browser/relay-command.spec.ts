import { describe, expect, it } from 'vitest';
import { recorderSendsH264, redactRelayKeys, relayArgs } from './relay-command.js';

const URL_ = 'rtmp://127.0.0.1:1935/live/k';

describe(relayArgs.name, () => {
  it('copies H.264 from the recorder and turns Opus into AAC for FLV', () => {
    const args = relayArgs({ mime: 'video/webm;codecs=h264,opus', rtmpUrl: URL_ });
    expect(args.join(' ')).toContain('-c:v copy');
    expect(args.join(' ')).toContain('-c:a aac');
    expect(args.slice(-3)).toEqual(['-f', 'flv', URL_]);
    expect(args).toContain('pipe:0');
  });

  it('encodes VP8/VP9 video once, fast and without lookahead', () => {
    const args = relayArgs({ mime: 'video/webm;codecs=vp8,opus', rtmpUrl: URL_ }).join(' ');
    expect(args).toContain('-c:v libx264 -preset veryfast -tune zerolatency');
    expect(args).not.toContain('-c:v copy');
  });

  it('keeps probing short so the first packet leaves within a second', () => {
    const args = relayArgs({ mime: 'video/mp4;codecs=avc1,opus', rtmpUrl: URL_ });
    expect(args[args.indexOf('-analyzeduration') + 1]).toBe('1000000');
  });

  it('recognises H.264 by either name', () => {
    expect(recorderSendsH264('video/mp4;codecs=avc1.42E01E,opus')).toBe(true);
    expect(recorderSendsH264('video/x-matroska;codecs=h264')).toBe(true);
    expect(recorderSendsH264('video/webm;codecs=vp9,opus')).toBe(false);
  });
});

describe(redactRelayKeys.name, () => {
  const args = relayArgs({ mime: 'video/webm;codecs=h264,opus', rtmpUrl: 'rtmp://127.0.0.1:1935/live/Zk3-one-time-key_9' });

  it("hides the publish URL's one-time key wherever ffmpeg printed it", () => {
    const text = 'Error writing trailer of rtmp://127.0.0.1:1935/live/Zk3-one-time-key_9: Broken pipe\nkey Zk3-one-time-key_9 again';
    const out = redactRelayKeys(text, args);
    expect(out).toBe('Error writing trailer of rtmp://127.0.0.1:1935/live/[key]: Broken pipe\nkey [key] again');
    expect(out).not.toContain('one-time-key');
  });

  it('leaves text without a key, and arguments that are not RTMP URLs, alone', () => {
    expect(redactRelayKeys('pipe:0: Invalid data found when processing input', args)).toBe(
      'pipe:0: Invalid data found when processing input',
    );
  });
});
