import { RELAY_PROBE_ARGS, relayOutputArgs } from '../browser/relay-command.js';

/**
 * Pure parts of WHIP ingest: checking a page's SDP offer, and the relay ffmpeg's input (an SDP naming the
 * loopback UDP ports the API forwards the page's RTP to) and arguments (H.264 copied, Opus to AAC, RTMP to
 * our own ingest with a one-time key: the same output as the recorder relay, relay-command.ts).
 */

/** Fixed payload types in the relay's SDP; the API rewrites each forwarded packet's to these. */
export const RELAY_VIDEO_PT = 96;
export const RELAY_AUDIO_PT = 111;

/**
 * Pure: why an offer cannot be taken, or null. It must be an SDP session description with a video
 * section that offers H.264 in packetization mode 1 (the relay copies H.264; it does not transcode VP8).
 */
export function offerProblem(sdp: string): string | null {
  if (!sdp.startsWith('v=0')) return 'The offer is not an SDP session description.';
  const video = sdp.split(/\r?\n(?=m=)/).find((section) => section.startsWith('m=video'));
  if (!video) return 'The offer has no video.';
  const h264 = [...video.matchAll(/^a=rtpmap:(\d+) H264\/90000/gim)].map((m) => m[1]);
  const mode1 = h264.some((pt) => new RegExp(`^a=fmtp:${pt} .*packetization-mode=1`, 'im').test(video));
  if (!mode1) return 'The offer has no H.264 video (packetization mode 1); this server takes H.264 only.';
  return null;
}

/** Chromium's initial send rate (kb/s) for what we answer: about what a 720p camera needs. */
export const START_BITRATE_KBPS = 2000;

/**
 * Pure: the answer with `x-google-start-bitrate` on every H.264 format, so Chromium starts sending near
 * the rate a 720p camera needs instead of ramping up from about 300 kb/s (the live's ladder is planned
 * from its first frames). werift answers with the offer's own fmtp parameters, whatever its codec list
 * says, so the parameter is added to the answer's text.
 */
export function withStartBitrate(answer: string, kbps = START_BITRATE_KBPS): string {
  const h264 = new Set([...answer.matchAll(/^a=rtpmap:(\d+) H264\/90000/gim)].map((m) => m[1]));
  return answer.replace(/^(a=fmtp:(\d+) [^\r\n]*)$/gm, (line: string, _all: string, pt: string) =>
    h264.has(pt) && !line.includes('x-google-start-bitrate') ? `${line};x-google-start-bitrate=${kbps}` : line,
  );
}

/** Pure: the relay ffmpeg's input, RTP from loopback only (RTCP on the next port up). */
export function relaySdp({ videoPort, audioPort }: { videoPort: number; audioPort: number }): string {
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=reelroom-whip',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    // ffmpeg binds these ports on every interface; it keeps only packets from 127.0.0.1 (RFC 4570), which
    // nothing outside this host can send (Linux drops loopback sources arriving on other interfaces).
    'a=source-filter: incl IN IP4 * 127.0.0.1',
    `m=video ${videoPort} RTP/AVP ${RELAY_VIDEO_PT}`,
    `a=rtpmap:${RELAY_VIDEO_PT} H264/90000`,
    `a=fmtp:${RELAY_VIDEO_PT} packetization-mode=1`,
    `m=audio ${audioPort} RTP/AVP ${RELAY_AUDIO_PT}`,
    `a=rtpmap:${RELAY_AUDIO_PT} opus/48000/2`,
    '',
  ].join('\r\n');
}

/** Pure: the relay's arguments: read `sdpPath`, publish to `rtmpUrl` (the recorder relay's output). */
export function whipRelayArgs({ sdpPath, rtmpUrl }: { sdpPath: string; rtmpUrl: string }): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    // The SDP file names only UDP sockets on loopback; nothing else may be opened through it.
    ...['-protocol_whitelist', 'file,udp,rtp'],
    ...RELAY_PROBE_ARGS,
    // Packets arrive in order on loopback: a small reorder queue, no added wait.
    ...['-reorder_queue_size', '16'],
    ...['-i', sdpPath],
    ...relayOutputArgs(['-c:v', 'copy'], rtmpUrl),
  ];
}
