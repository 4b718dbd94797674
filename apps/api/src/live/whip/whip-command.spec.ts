import { describe, expect, it } from 'vitest';
import { offerProblem, relaySdp, whipRelayArgs, withStartBitrate } from './whip-command.js';

const offer = (video: string) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', video, ''].join(
    '\r\n',
  );

describe(offerProblem.name, () => {
  it('takes an offer with H.264 in packetization mode 1, whatever payload type the page chose', () => {
    const v = [
      'm=video 9 UDP/TLS/RTP/SAVPF 96 102',
      'a=rtpmap:96 VP8/90000',
      'a=rtpmap:102 H264/90000',
      'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    ];
    expect(offerProblem(offer(v.join('\r\n')))).toBeNull();
  });

  it('refuses what is not SDP, an offer without video, and video without H.264 mode 1', () => {
    expect(offerProblem('hello')).toMatch(/not an SDP/);
    expect(offerProblem(offer(''))).toMatch(/no video/);
    expect(offerProblem(offer('m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000'))).toMatch(/H\.264/);
    const mode0 = 'm=video 9 UDP/TLS/RTP/SAVPF 102\r\na=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=0';
    expect(offerProblem(offer(mode0))).toMatch(/H\.264/);
    // H.264 named in the audio section does not count.
    const misplaced = [
      'v=0',
      's=-',
      'm=audio 9 RTP/SAVPF 102',
      'a=rtpmap:102 H264/90000',
      'a=fmtp:102 packetization-mode=1',
      'm=video 9 RTP/SAVPF 96',
      'a=rtpmap:96 VP8/90000',
    ];
    expect(offerProblem(misplaced.join('\r\n'))).toMatch(/H\.264/);
  });
});

describe('the relay', () => {
  it('reads RTP on the given loopback ports with fixed payload types', () => {
    const sdp = relaySdp({ videoPort: 40000, audioPort: 40002 });
    expect(sdp).toContain('c=IN IP4 127.0.0.1');
    // Only packets from loopback are read, although ffmpeg binds the ports on every interface.
    expect(sdp).toContain('\r\na=source-filter: incl IN IP4 * 127.0.0.1\r\nm=video');
    expect(sdp).toContain('m=video 40000 RTP/AVP 96\r\na=rtpmap:96 H264/90000');
    expect(sdp).toContain('m=audio 40002 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2');
  });

  it('copies H.264, makes AAC, publishes FLV to the URL, and opens nothing but the SDP file and UDP', () => {
    const args = whipRelayArgs({ sdpPath: '/tmp/x.sdp', rtmpUrl: 'rtmp://127.0.0.1:1935/live/k' });
    expect(args.slice(args.indexOf('-protocol_whitelist'), args.indexOf('-protocol_whitelist') + 2)).toEqual([
      '-protocol_whitelist',
      'file,udp,rtp',
    ]);
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', '/tmp/x.sdp']);
    expect(args.join(' ')).toContain('-c:v copy -c:a aac');
    expect(args.slice(-3)).toEqual(['-f', 'flv', 'rtmp://127.0.0.1:1935/live/k']);
    expect(args).toContain('-nostdin');
  });
});

describe(withStartBitrate.name, () => {
  it('adds the start bitrate to every H.264 format of the answer, once, and to nothing else', () => {
    const answer = [
      'v=0',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 98',
      'a=rtpmap:96 H264/90000',
      'a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      'a=rtpmap:98 VP8/90000',
      'a=fmtp:98 x-foo=1',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      '',
    ].join('\r\n');
    const out = withStartBitrate(answer);
    expect(out.split('\r\n').filter((l) => l.startsWith('a=fmtp'))).toEqual([
      'a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f;x-google-start-bitrate=2000',
      'a=fmtp:98 x-foo=1',
      'a=fmtp:111 minptime=10;useinbandfec=1',
    ]);
    expect(withStartBitrate(out)).toBe(out);
    expect(out.endsWith('\r\n')).toBe(true);
  });
});
