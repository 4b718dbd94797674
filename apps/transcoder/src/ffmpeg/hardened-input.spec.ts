import { describe, expect, it } from 'vitest';
import { hardenedInput, PROBE_MAX_STREAMS, redactUrls } from './hardened-input.js';
import { PROBE_FORMAT_WHITELIST } from './media-limits.js';

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe(hardenedInput.name, () => {
  it('opens an upload for ffmpeg: file protocol only, the allow-list, the forced demuxer, a file: URL last', () => {
    const args = hardenedInput({ path: '/m/x/source', demuxer: 'matroska' });
    expect(args).toEqual([
      '-format_whitelist',
      PROBE_FORMAT_WHITELIST,
      '-protocol_whitelist',
      'file',
      '-f',
      'matroska',
      '-i',
      'file:/m/x/source',
    ]);
  });

  it('keeps mov external references off, for ffmpeg only when the demuxer is mov (ffmpeg refuses options its demuxer lacks)', () => {
    const mov = hardenedInput({ path: '/m/x/source', demuxer: 'mov' });
    expect([value(mov, '-enable_drefs'), value(mov, '-use_absolute_path')]).toEqual(['0', '0']);
    expect(hardenedInput({ path: '/m/x/source', demuxer: 'avi' })).not.toContain('-enable_drefs');
  });

  it('lets ffprobe detect the format among the allow-list only, with drefs off and bounded probing', () => {
    const args = hardenedInput({ path: '/m/x/source', probeBounds: true });
    expect(args).not.toContain('-f');
    expect(value(args, '-format_whitelist')).toBe(PROBE_FORMAT_WHITELIST);
    expect(value(args, '-enable_drefs')).toBe('0');
    expect(value(args, '-use_absolute_path')).toBe('0');
    expect(value(args, '-probesize')).toBe('50M');
    expect(value(args, '-analyzeduration')).toBe('100M');
    expect(value(args, '-max_streams')).toBe(String(PROBE_MAX_STREAMS));
    expect(args.slice(-2)).toEqual(['-i', 'file:/m/x/source']);
  });

  it('puts an input seek and keyframe-only decoding before -i, where they apply to the input', () => {
    const args = hardenedInput({ path: '/m/hls/low/index.m3u8', demuxer: 'hls', formats: 'hls,mov', seekSec: 1.5, keyframesOnly: true });
    expect(args).toEqual([
      '-format_whitelist',
      'hls,mov',
      '-ss',
      '1.500',
      '-protocol_whitelist',
      'file',
      '-skip_frame',
      'nokey',
      '-f',
      'hls',
      '-i',
      'file:/m/hls/low/index.m3u8',
    ]);
  });

  it('refuses relative paths and odd demuxer names', () => {
    expect(() => hardenedInput({ path: 'concat:a.mp4|b.mp4' })).toThrow(/absolute/);
    expect(() => hardenedInput({ path: '/m/x', demuxer: 'mov -i http://x' })).toThrow(/demuxer/);
  });

  it("opens a storage URL with its scheme's protocols only and the upload allow-list, the URL itself last", () => {
    const signed = 'https://bucket.example/m/source?X-Amz-Signature=abc&X-Amz-Expires=60';
    const args = hardenedInput({ path: signed, demuxer: 'mov' });
    expect(value(args, '-protocol_whitelist')).toBe('https,tls,tcp');
    expect(value(args, '-format_whitelist')).toBe(PROBE_FORMAT_WHITELIST);
    expect(value(args, '-enable_drefs')).toBe('0');
    expect(args.slice(-2)).toEqual(['-i', signed]);
    expect(value(hardenedInput({ path: 'http://127.0.0.1:9000/b/m/source?X-Amz-Signature=abc' }), '-protocol_whitelist')).toBe('http,tcp');
  });

  it('refuses a URL with user info, or with a playlist allow-list (its demuxer would open more URLs)', () => {
    expect(() => hardenedInput({ path: 'http://user:pw@bucket.example/m/source' })).toThrow(/user info/);
    expect(() => hardenedInput({ path: 'https://bucket.example/m/hls/low/index.m3u8', demuxer: 'hls', formats: 'hls,mov' })).toThrow(
      /allow-list only/,
    );
    expect(() => hardenedInput({ path: 'ftp://bucket.example/m/source' })).toThrow(/absolute/);
  });
});

describe(redactUrls.name, () => {
  it("drops a URL's query (a presigned URL's credential) from ffmpeg's messages, keeping the rest", () => {
    const line = 'https://s3.example/b/m/source?X-Amz-Credential=K%2F1&X-Amz-Signature=deadbeef: Server returned 403 Forbidden';
    expect(redactUrls(line)).toBe('https://s3.example/b/m/source?<signed>: Server returned 403 Forbidden');
    expect(redactUrls('file:/m/x/source: Invalid data')).toBe('file:/m/x/source: Invalid data');
  });
});
