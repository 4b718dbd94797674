import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import type { RelayProcess } from '../browser/ffmpeg-relay.js';
import { RELAY_AUDIO_PT, RELAY_VIDEO_PT, relaySdp, whipRelayArgs, withStartBitrate } from './whip-command.js';

/** How long a relay asked to stop may take to flush before it is killed. */
const STOP_GRACE_MS = 3000;
/** How long after the answer the first video may take (the page connects, then its encoder starts). */
const FIRST_VIDEO_MS = 15_000;

/** The relay as a WHIP session drives it: a RelayProcess that can also be asked to finish cleanly. */
export interface WhipRelay extends RelayProcess {
  /** SIGINT: ffmpeg writes what it has and unpublishes, so the live ends as after OBS's Stop Streaming. */
  interrupt(): void;
}
export type WhipRelayStarter = (ffmpegPath: string, args: string[]) => WhipRelay;

/** Where WebRTC may listen (WHIP_UDP_PORTS, WHIP_HOST_ADDRESSES). */
export interface WhipNetwork {
  portRange?: [number, number];
  hostAddresses?: string[];
}

export interface WhipSessionOptions {
  offer: string;
  rtmpUrl: string;
  ffmpegPath: string;
  network: WhipNetwork;
  /**
   * No video for this long (a closed tab: werift does not always see the page's connection close; a dead
   * link; a connection that never came up): the live ends. A WebRTC sender sends video continuously, so
   * this can be short.
   */
  stallMs: number;
  /** After ICE reports `disconnected`, how long it may take to come back before the live ends. */
  disconnectGraceMs: number;
  startRelay: WhipRelayStarter;
  log: Logger;
}

/** The offer could not be answered (werift refused it): the page's fault, a 400. */
export class WhipOfferError extends Error {}

/** How long releasing the peer connection may take before the rest is released anyway. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * One browser publishing over WebRTC (WHIP): a werift peer connection that receives the page's H.264 and
 * Opus, and forwards every RTP packet over loopback UDP to a relay ffmpeg that reads it as described by an
 * SDP file (accepting packets from 127.0.0.1 only) and publishes RTMP to our own ingest (from there it is
 * an ordinary browser live). It ends when the page says so (DELETE: a clean stop), when the connection
 * fails or stays down, when video stops coming, or when the relay stops on its own (the host ended the
 * live, the claim was refused); whatever ends it, everything it holds (peer connection, socket, relay,
 * SDP file) is released, and `ended` settles (it never rejects).
 */
export class WhipSession {
  readonly id: string = randomUUID();
  /** Settles once everything is released. */
  readonly ended: Promise<void>;
  private stallTimer?: NodeJS.Timeout;
  private disconnectTimer?: NodeJS.Timeout;
  /** running; stopping: told to finish, media still forwarded so ffmpeg can; over: nothing more. */
  private phase: 'running' | 'stopping' | 'over' = 'running';
  private packets = 0;
  private videoPackets = 0;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly relay: WhipRelay,
    private readonly out: ReturnType<typeof createSocket>,
    private readonly dir: string,
    private readonly opts: WhipSessionOptions,
  ) {
    this.ended = relay.exited.then(async ({ code, stderr }) => {
      this.phase = 'over';
      clearTimeout(this.stallTimer);
      clearTimeout(this.disconnectTimer);
      opts.log.info({ code, stderr: stderr.slice(-300), packets: this.packets }, 'WHIP relay stopped');
      try {
        await Promise.race([pc.close(), new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
      } catch {
        // Closed already, or werift failed closing: the rest is released all the same.
      } finally {
        out.close();
        await rm(dir, { recursive: true, force: true }).catch((err: unknown) =>
          opts.log.warn({ err }, 'WHIP: could not remove the SDP folder'),
        );
      }
    });
  }

  /** Starts the relay and answers the page's offer; the answer's SDP goes back to the page. */
  static async start(opts: WhipSessionOptions): Promise<{ session: WhipSession; answer: string }> {
    const [videoPort, audioPort] = [await freeRtpPort(), await freeRtpPort()];
    const dir = await mkdtemp(join(tmpdir(), 'reelroom-whip-'));
    let out: ReturnType<typeof createSocket> | undefined;
    let pc: RTCPeerConnection | undefined;
    let relay: WhipRelay;
    try {
      const sdpPath = join(dir, 'input.sdp');
      await writeFile(sdpPath, relaySdp({ videoPort, audioPort }), { mode: 0o600 });
      out = createSocket('udp4');
      // Sent from 127.0.0.1: the relay's SDP accepts no other source (a port open on every interface).
      out.on('error', (err) => opts.log.warn({ err: err.message }, 'WHIP: forwarding socket error'));
      const bound = out;
      await new Promise<void>((resolve, reject) => {
        bound.once('error', reject);
        bound.bind(0, '127.0.0.1', () => resolve());
      });
      pc = new RTCPeerConnection({
        codecs: {
          video: [
            new RTCRtpCodecParameters({
              mimeType: 'video/H264',
              clockRate: 90000,
              rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }],
              // The answer repeats the offer's fmtp line, not this one: the start bitrate is added to the
              // answer's text (withStartBitrate).
              parameters: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1',
            }),
          ],
          audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
        },
        ...(opts.network.portRange && { icePortRange: opts.network.portRange }),
        ...(opts.network.hostAddresses?.length && { iceAdditionalHostAddresses: opts.network.hostAddresses }),
      });
      relay = opts.startRelay(opts.ffmpegPath, whipRelayArgs({ sdpPath, rtmpUrl: opts.rtmpUrl }));
    } catch (err) {
      await pc?.close().catch(() => undefined);
      out?.close();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
    const session = new WhipSession(pc, relay, out, dir, opts);
    try {
      session.wire(videoPort, audioPort);
      await pc.setRemoteDescription({ type: 'offer', sdp: opts.offer });
      await pc.setLocalDescription(await pc.createAnswer());
      const answer = pc.localDescription?.sdp;
      if (!answer) throw new Error('no local description');
      return { session, answer: withStartBitrate(answer) };
    } catch (err) {
      session.drop();
      throw new WhipOfferError(err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * The page stopped (DELETE): SIGINT, and the relay flushes and unpublishes at its next packet, so the
   * live ends cleanly; media is still forwarded meanwhile (the page keeps sending a moment). A relay that
   * has not exited STOP_GRACE_MS later (its input stopped with the page) is killed.
   */
  stop(): void {
    if (this.phase !== 'running') return;
    this.phase = 'stopping';
    clearTimeout(this.stallTimer);
    clearTimeout(this.disconnectTimer);
    this.relay.interrupt();
    const kill = setTimeout(() => this.relay.kill(), STOP_GRACE_MS);
    kill.unref();
    void this.relay.exited.then(() => clearTimeout(kill));
  }

  /** The server drops it (shutting down, a failed start, no video): ffmpeg is killed; the live ends at once. */
  drop(): void {
    this.phase = 'over';
    this.relay.kill();
  }

  private wire(videoPort: number, audioPort: number): void {
    const { pc, opts } = this;
    // Until the first video: ICE, DTLS and the encoder's start may take a while on a loaded machine.
    this.armStall(Math.max(opts.stallMs, FIRST_VIDEO_MS));
    pc.onTrack.subscribe((track) => {
      const video = track.kind === 'video';
      const port = video ? videoPort : audioPort;
      track.onReceiveRtp.subscribe((rtp) => {
        if (this.phase === 'over') return;
        this.packets += 1;
        if (video) {
          this.videoPackets += 1;
          if (this.phase === 'running') this.armStall();
        }
        // The relay's SDP names fixed payload types; the page's offer chose its own.
        rtp.header.payloadType = video ? RELAY_VIDEO_PT : RELAY_AUDIO_PT;
        this.out.send(rtp.serialize(), port, '127.0.0.1');
      });
    });
    // A keyframe every 2 s, as OBS is told to send: a browser's WebRTC encoder sends one at the start only
    // (and on request), but ffmpeg starts reading at one, and a transcoder that takes the live over
    // mid-way starts decoding at the next one. The ladder's own keyframes come from its encode.
    const askKeyframes = setInterval(() => {
      if (this.phase === 'over') return clearInterval(askKeyframes);
      for (const t of pc.getTransceivers()) {
        const ssrc = t.receiver.track?.ssrc;
        if (t.kind === 'video' && ssrc) void t.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
      }
    }, 2000);
    void this.relay.exited.then(() => clearInterval(askKeyframes));
    pc.connectionStateChange.subscribe((state) => {
      opts.log.debug({ state }, 'WHIP connection state');
      // Once stopping, the page closes its side: that is the end it asked for, not a failure.
      if (this.phase !== 'running') return;
      if (state === 'connected') clearTimeout(this.disconnectTimer);
      else if (state === 'disconnected') {
        clearTimeout(this.disconnectTimer);
        this.disconnectTimer = setTimeout(() => {
          opts.log.info('WHIP publisher stayed disconnected; the live ends');
          this.drop();
        }, opts.disconnectGraceMs);
      } else if (state === 'failed' || state === 'closed') this.drop();
    });
  }

  private armStall(ms = this.opts.stallMs): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      if (this.phase !== 'running') return;
      this.opts.log.warn(
        { stallMs: this.opts.stallMs, packets: this.packets, videoPackets: this.videoPackets },
        'WHIP publisher sent no video for too long; the live ends',
      );
      // Nothing is coming to flush: killed, the relay's RTMP connection drops, and a browser live (its key
      // spent) ends at once.
      this.drop();
    }, ms);
    this.stallTimer.unref();
  }
}

/**
 * A pair of free loopback UDP ports (RTP on an even port, RTCP on the next), for the relay to listen on.
 * Checked by binding both; another process could take them before ffmpeg does, in which case the relay
 * fails to start and the session ends like any other.
 */
async function freeRtpPort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 10000);
    const free = await Promise.all(
      [port, port + 1].map(
        (p) =>
          new Promise<boolean>((resolve) => {
            const s = createSocket('udp4');
            s.once('error', () => resolve(false));
            s.bind(p, '127.0.0.1', () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return port;
  }
  throw new Error('no free UDP port pair for the WHIP relay');
}
