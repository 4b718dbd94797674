import { WHIP_CONNECT_TIMEOUT_MS, whipPath } from '@reelroom/contracts';
import { whipFallsBack } from './browser-live-core';

/** How long ICE gathering may take before the offer goes with the candidates it has. */
const GATHER_MS = 2000;
/** ICE `disconnected` this long (it may come back by itself after a network blip) ends the live. */
const DISCONNECTED_MS = 5000;
const VIDEO_BITS_PER_SECOND = 2_500_000;
/** After the DELETE is sent, media keeps flowing this long (the relay flushes at its next packet). */
const CLOSE_AFTER_DELETE_MS = 1000;
/** A DELETE that is not answered in this long is given up on (the server ends a silent session itself). */
const DELETE_TIMEOUT_MS = 5000;

/** A running WHIP publish: stop() ends it cleanly (DELETE, then the connection closes). */
export interface WhipPublish {
  stop(): void;
}

/**
 * What trying WHIP gave: live; refused with a sentence to show (not the host, already live); or
 * unavailable, and the page goes live over the recorder socket instead (no WebRTC or H.264 here, WHIP off
 * on the server, the server full, or WebRTC could not connect: UDP blocked on the way).
 */
export type WhipOutcome =
  { kind: 'live'; publish: WhipPublish } | { kind: 'refused'; message: string } | { kind: 'unavailable'; why: string };

/**
 * Goes live over WebRTC (WHIP, RFC 9725): the stream's tracks sent one way to the server, H.264 preferred
 * (the server copies it), the whole offer posted once ICE gathering is done (no trickle). `onLost` is
 * called once if the connection fails or stays down after it was up (never after stop()). Aborting
 * `signal` (the person stopped while it connected) undoes whatever was set up.
 */
export async function publishOverWhip(roomId: string, stream: MediaStream, onLost: () => void, signal: AbortSignal): Promise<WhipOutcome> {
  if (typeof RTCPeerConnection === 'undefined' || typeof RTCRtpSender === 'undefined') return { kind: 'unavailable', why: 'no WebRTC' };
  const h264 = (RTCRtpSender.getCapabilities?.('video')?.codecs ?? []).filter(
    (c) => c.mimeType.toLowerCase() === 'video/h264' && /packetization-mode=1/.test(c.sdpFmtpLine ?? ''),
  );
  if (h264.length === 0) return { kind: 'unavailable', why: 'no H.264 encoder for WebRTC' };
  const pc = new RTCPeerConnection();
  let location: string | null = null;
  let stopped = false;
  /** Ends the session: DELETE (bounded), and the connection closes a moment later whatever the answer. */
  const stop = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    stopped = true;
    const asked = location;
    location = null;
    if (!asked) {
      pc.close();
      return Promise.resolve();
    }
    // The server's relay finishes at its next packet: keep sending a moment after it was told, so the
    // live's last seconds are written and it unpublishes cleanly.
    setTimeout(() => pc.close(), CLOSE_AFTER_DELETE_MS);
    return fetch(asked, { method: 'DELETE', credentials: 'same-origin', keepalive: true, signal: AbortSignal.timeout(DELETE_TIMEOUT_MS) })
      .then(() => undefined)
      .catch(() => undefined);
  };
  const abandoned = async (why: string): Promise<WhipOutcome> => {
    await stop();
    return { kind: 'unavailable', why };
  };
  signal.addEventListener('abort', () => void stop(), { once: true });
  try {
    for (const track of stream.getTracks()) {
      const t = pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      if (track.kind !== 'video') continue;
      t.setCodecPreferences(h264);
      const params = t.sender.getParameters();
      params.encodings = (params.encodings?.length ? params.encodings : [{}]).map((e) => ({ ...e, maxBitrate: VIDEO_BITS_PER_SECOND }));
      // Keep the camera's size and drop frames instead when the link or CPU is short. WebRTC's default
      // scales the picture down while its bandwidth estimate ramps up, and the live's ladder is planned from
      // the first frames the transcoder probes: a 720p camera would become a 360p live for good.
      params.degradationPreference = 'maintain-resolution';
      await t.sender.setParameters(params).catch(() => undefined);
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    if (signal.aborted) return await abandoned('stopped');
    const res = await fetch(whipPath(roomId), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/sdp' },
      body: pc.localDescription?.sdp ?? '',
      signal,
    });
    if (res.status !== 201) {
      pc.close();
      const message = ((await res.json().catch(() => ({}))) as { message?: string }).message ?? `The server answered ${res.status}.`;
      return whipFallsBack(res.status) ? { kind: 'unavailable', why: message } : { kind: 'refused', message };
    }
    location = res.headers.get('location');
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    // Not connected in time (UDP blocked on the way): the session is ended before the recorder socket
    // starts, so a late connection cannot claim the live first.
    if (!(await connected(pc, WHIP_CONNECT_TIMEOUT_MS)) || signal.aborted) return await abandoned('WebRTC did not connect');
  } catch (err) {
    return abandoned(err instanceof Error ? err.message : String(err));
  }
  watchConnection(pc, () => {
    if (stopped) return;
    void stop();
    onLost();
  });
  return { kind: 'live', publish: { stop: () => void stop() } };
}

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const timer = setTimeout(resolve, GATHER_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

function connected(pc: RTCPeerConnection, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const check = () => {
      if (pc.connectionState === 'connected') {
        clearTimeout(timer);
        resolve(true);
      } else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
        clearTimeout(timer);
        resolve(false);
      }
    };
    pc.addEventListener('connectionstatechange', check);
    check();
  });
}

/** Calls `lost` once: the connection failed, or stayed disconnected for DISCONNECTED_MS. */
function watchConnection(pc: RTCPeerConnection, lost: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    lost();
  };
  pc.addEventListener('connectionstatechange', () => {
    clearTimeout(timer);
    if (pc.connectionState === 'failed') once();
    else if (pc.connectionState === 'disconnected') timer = setTimeout(once, DISCONNECTED_MS);
  });
}
