// WHIP (WebRTC-HTTP Ingestion Protocol, RFC 9725) into werift, for bench/live.mjs's `whip` ingest. Issue 8
// asks to choose the browser ingest (WHIP or MediaRecorder) by measured latency; the product ships the
// MediaRecorder path (reference/live.md section 7: no UDP ports or TURN to run), and this is the other
// path built far enough to measure it against that one in the same run, on the same clock camera:
//
//   page (RTCPeerConnection, H.264 + Opus) --WHIP POST--> werift here --RTP over loopback UDP--> ffmpeg
//   (SDP input, H.264 copied, Opus to AAC) --RTMP--> the room's stream key on the API's ingest
//
// From the API on it is an ordinary RTMP live, as a browser live is after the product's relay. So the
// difference glass to glass is the difference between the two ways into the relay's ffmpeg. Not a
// product feature: no auth, one publisher, no NACK retransmission to ffmpeg, loopback only.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';

const VIDEO_PT = 96;
const AUDIO_PT = 111;

/** A pair of free UDP ports (RTP on an even port, RTCP on the next), for ffmpeg to listen on. */
async function freeRtpPort() {
  for (;;) {
    const port = 20000 + 2 * Math.floor(Math.random() * 10000);
    const ok = await Promise.all(
      [port, port + 1].map(
        (p) =>
          new Promise((resolve) => {
            const s = createSocket('udp4');
            s.once('error', () => resolve(false));
            s.bind(p, '127.0.0.1', () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return port;
  }
}

/**
 * Starts the WHIP endpoint and its relay ffmpeg, which publishes to `rtmpUrl`. Returns the endpoint's URL
 * (POST an SDP offer there: 201 with the answer), the relay's pid (for its CPU), and stop() (SIGINT:
 * ffmpeg unpublishes cleanly, so the live ends as after OBS's Stop Streaming).
 */
export async function startWhipRelay({ rtmpUrl, workDir, ffmpegPath = 'ffmpeg', log = () => undefined }) {
  const videoPort = await freeRtpPort();
  const audioPort = await freeRtpPort();
  const sdpPath = join(workDir, `whip-${videoPort}.sdp`);
  writeFileSync(
    sdpPath,
    [
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=whip',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=video ${videoPort} RTP/AVP ${VIDEO_PT}`,
      `a=rtpmap:${VIDEO_PT} H264/90000`,
      `a=fmtp:${VIDEO_PT} packetization-mode=1`,
      `m=audio ${audioPort} RTP/AVP ${AUDIO_PT}`,
      `a=rtpmap:${AUDIO_PT} opus/48000/2`,
      '',
    ].join('\r\n'),
  );
  // The same output settings as the product's relay (relay-command.ts), with its short probe.
  const ffmpeg = spawn(
    ffmpegPath,
    [
      ...['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-fflags', '+genpts+nobuffer'],
      ...['-analyzeduration', '1000000', '-probesize', '1000000', '-reorder_queue_size', '16', '-i', sdpPath],
      ...['-map', '0:v:0', '-map', '0:a:0', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-f', 'flv', rtmpUrl],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  ffmpeg.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise((resolve) => ffmpeg.once('close', (code) => resolve(code)));
  const out = createSocket('udp4');
  const pcs = [];
  const timers = [];

  const answer = async (offer) => {
    const pc = new RTCPeerConnection({
      codecs: {
        video: [
          new RTCRtpCodecParameters({
            mimeType: 'video/H264',
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }],
            parameters: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1',
          }),
        ],
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      },
    });
    pcs.push(pc);
    pc.ontrack = ({ track, receiver }) => {
      const video = track.kind === 'video';
      const port = video ? videoPort : audioPort;
      log(`whip: ${track.kind} track`);
      track.onReceiveRtp.subscribe((rtp) => {
        // ffmpeg's SDP names fixed payload types; the page's offer chose its own.
        rtp.header.payloadType = video ? VIDEO_PT : AUDIO_PT;
        out.send(rtp.serialize(), port, '127.0.0.1');
      });
      // ffmpeg starts reading at a keyframe: ask the page's encoder for one now and then (it sends one at
      // the start only, and ffmpeg may have missed it while it probed).
      if (video) timers.push(setInterval(() => void receiver.sendRtcpPLI(track.ssrc).catch(() => undefined), 2000));
    };
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    return pc.localDescription.sdp;
  };

  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    res.setHeader('Access-Control-Expose-Headers', 'location');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      answer(Buffer.concat(chunks).toString('utf8'))
        .then((sdp) => res.writeHead(201, { 'content-type': 'application/sdp', location: '/whip/1' }).end(sdp))
        .catch((err) => res.writeHead(400).end(String(err?.message ?? err)));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${server.address().port}/whip`,
    pid: ffmpeg.pid,
    stderr: () => stderr,
    async stop() {
      for (const t of timers) clearInterval(t);
      for (const pc of pcs) await pc.close().catch(() => undefined);
      server.close();
      if (ffmpeg.exitCode === null) ffmpeg.kill('SIGINT');
      const code = await exited;
      out.close();
      return code;
    },
  };
}

/**
 * Publishes the host page's camera (the clock camera of clock-pages.mjs) over WHIP to `url`: H.264 first,
 * the picture's resolution kept under load, the whole offer sent once ICE gathering is done (WHIP without
 * trickle). The page's CSP allows no other origin, so this process carries the offer and the answer.
 * Resolves when the connection is up; the page keeps it on window.__whip.
 */
export async function publishOverWhip(page, url) {
  const offer = await page.evaluate(whipOffer);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer });
  if (res.status !== 201) throw new Error(`WHIP endpoint answered ${res.status}: ${await res.text()}`);
  await page.evaluate(whipAnswer, await res.text());
}

/** In the page: the offer, with every candidate in it. */
async function whipOffer() {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const pc = new RTCPeerConnection();
  window.__whip = pc;
  for (const track of stream.getTracks()) {
    const t = pc.addTransceiver(track, { direction: 'sendonly' });
    if (track.kind !== 'video') continue;
    const codecs = RTCRtpSender.getCapabilities('video').codecs;
    const h264 = codecs.filter((c) => c.mimeType === 'video/H264' && /packetization-mode=1/.test(c.sdpFmtpLine ?? ''));
    t.setCodecPreferences([...h264, ...codecs.filter((c) => !h264.includes(c))]);
    const params = t.sender.getParameters();
    params.degradationPreference = 'maintain-resolution';
    params.encodings = [{ ...(params.encodings?.[0] ?? {}), maxBitrate: 2_500_000 }];
    await t.sender.setParameters(params).catch(() => undefined);
  }
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, 2000);
  });
  return pc.localDescription.sdp;
}

/** In the page: the answer, then wait until the connection is up. */
async function whipAnswer(sdp) {
  const pc = window.__whip;
  await pc.setRemoteDescription({ type: 'answer', sdp });
  await new Promise((resolve, reject) => {
    const check = () => {
      if (pc.connectionState === 'connected') resolve();
      else if (pc.connectionState === 'failed') reject(new Error('WebRTC connection failed'));
    };
    pc.addEventListener('connectionstatechange', check);
    check();
    setTimeout(() => reject(new Error(`WebRTC not connected after 15 s (${pc.connectionState})`)), 15_000);
  });
}
