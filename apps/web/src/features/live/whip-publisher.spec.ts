import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WHIP_CONNECT_TIMEOUT_MS, whipPath } from '@reelroom/contracts';
import { publishOverWhip } from './whip-publisher';

const H264 = {
  mimeType: 'video/H264',
  clockRate: 90000,
  sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
};
const VP8 = { mimeType: 'video/VP8', clockRate: 90000 };

/** The part of RTCPeerConnection the publisher uses; the test moves its connection state. */
class FakePeerConnection extends EventTarget {
  static last: FakePeerConnection | null = null;
  iceGatheringState: RTCIceGatheringState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: { type: 'offer'; sdp: string } | null = null;
  remote: string | null = null;
  closed = false;
  readonly preferences: unknown[] = [];
  readonly parameters: Array<{ degradationPreference?: string; encodings: Array<{ maxBitrate?: number }> }> = [];

  constructor() {
    super();
    FakePeerConnection.last = this;
  }
  addTransceiver(track: { kind: string }) {
    return {
      setCodecPreferences: (codecs: unknown[]) => this.preferences.push(...codecs),
      sender: {
        getParameters: () => ({ encodings: [] as Array<{ maxBitrate?: number }> }),
        setParameters: (p: { degradationPreference?: string; encodings: Array<{ maxBitrate?: number }> }) => {
          if (track.kind === 'video') this.parameters.push(p);
          return Promise.resolve();
        },
      },
    };
  }
  createOffer() {
    return Promise.resolve({ type: 'offer' as const, sdp: 'v=0 offer' });
  }
  setLocalDescription(d: { type: 'offer'; sdp: string }) {
    this.localDescription = d;
    this.iceGatheringState = 'complete';
    return Promise.resolve();
  }
  setRemoteDescription(d: { sdp: string }) {
    this.remote = d.sdp;
    return Promise.resolve();
  }
  close() {
    this.closed = true;
    this.connectionState = 'closed';
  }
  /** What the browser does as ICE and DTLS progress. */
  become(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

const stream = {
  getTracks: () => [{ kind: 'audio' }, { kind: 'video' }],
} as unknown as MediaStream;

interface Call {
  url: string;
  method: string;
  body?: unknown;
}

/** The server: answers the POST as told, and records every request. */
function server(answer: () => Response) {
  const calls: Call[] = [];
  const fetchFake = (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method ?? 'GET', body: init.body });
    return Promise.resolve(init.method === 'POST' ? answer() : new Response(null, { status: 200 }));
  };
  vi.stubGlobal('fetch', fetchFake);
  return calls;
}

const created = () =>
  new Response('v=0 answer', { status: 201, headers: { location: '/api/rooms/r1/live/whip/00000000-0000-4000-8000-000000000001' } });

describe('publishOverWhip (the page side of WHIP)', () => {
  beforeEach(() => {
    FakePeerConnection.last = null;
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    vi.stubGlobal('RTCRtpSender', { getCapabilities: () => ({ codecs: [VP8, H264] }) });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is unavailable (the recorder path goes instead) without WebRTC or without H.264', async () => {
    vi.stubGlobal('RTCPeerConnection', undefined);
    expect(await publishOverWhip('r1', stream, () => undefined, new AbortController().signal)).toEqual({
      kind: 'unavailable',
      why: 'no WebRTC',
    });
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    vi.stubGlobal('RTCRtpSender', { getCapabilities: () => ({ codecs: [VP8] }) });
    expect(await publishOverWhip('r1', stream, () => undefined, new AbortController().signal)).toMatchObject({ kind: 'unavailable' });
    expect(FakePeerConnection.last).toBeNull();
  });

  it('posts the whole offer, H.264 only, keeping the resolution; live once connected; stop sends DELETE and closes a moment later', async () => {
    vi.useFakeTimers();
    const calls = server(created);
    const outcome = publishOverWhip('r1', stream, () => undefined, new AbortController().signal);
    await vi.waitFor(() => expect(FakePeerConnection.last?.remote).toBe('v=0 answer'));
    const pc = FakePeerConnection.last!;
    expect(calls).toEqual([{ url: whipPath('r1'), method: 'POST', body: 'v=0 offer' }]);
    expect(pc.preferences).toEqual([H264]);
    expect(pc.parameters[0]).toMatchObject({ degradationPreference: 'maintain-resolution', encodings: [{ maxBitrate: 2_500_000 }] });
    pc.become('connected');
    const result = await outcome;
    expect(result.kind).toBe('live');
    if (result.kind !== 'live') return;
    result.publish.stop();
    expect(calls.at(-1)).toMatchObject({ url: '/api/rooms/r1/live/whip/00000000-0000-4000-8000-000000000001', method: 'DELETE' });
    // Media keeps flowing a moment after the DELETE, so the relay flushes the live's last seconds.
    await vi.advanceTimersByTimeAsync(999);
    expect(pc.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(pc.closed).toBe(true);
    result.publish.stop();
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('shows a refusal of the person or the room (409) and falls back on anything else (503, 415)', async () => {
    server(() => Response.json({ message: 'This room is already live.' }, { status: 409 }));
    expect(await publishOverWhip('r1', stream, () => undefined, new AbortController().signal)).toEqual({
      kind: 'refused',
      message: 'This room is already live.',
    });
    expect(FakePeerConnection.last?.closed).toBe(true);
    server(() => Response.json({ message: 'Going live over WebRTC failed on this server; try again.' }, { status: 503 }));
    expect(await publishOverWhip('r1', stream, () => undefined, new AbortController().signal)).toEqual({
      kind: 'unavailable',
      why: 'Going live over WebRTC failed on this server; try again.',
    });
    server(() => new Response('nope', { status: 415 }));
    expect(await publishOverWhip('r1', stream, () => undefined, new AbortController().signal)).toEqual({
      kind: 'unavailable',
      why: 'The server answered 415.',
    });
  });

  it('gives up when WebRTC does not connect in time (UDP blocked): the session is ended first, then the recorder path goes', async () => {
    vi.useFakeTimers();
    const calls = server(created);
    const outcome = publishOverWhip('r1', stream, () => undefined, new AbortController().signal);
    await vi.waitFor(() => expect(FakePeerConnection.last?.remote).toBe('v=0 answer'));
    await vi.advanceTimersByTimeAsync(WHIP_CONNECT_TIMEOUT_MS);
    expect(await outcome).toEqual({ kind: 'unavailable', why: 'WebRTC did not connect' });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'DELETE']);
  });

  it('undoes everything when the person stops while it connects', async () => {
    const calls = server(created);
    const stopping = new AbortController();
    const outcome = publishOverWhip('r1', stream, () => undefined, stopping.signal);
    await vi.waitFor(() => expect(FakePeerConnection.last?.remote).toBe('v=0 answer'));
    stopping.abort();
    FakePeerConnection.last!.become('connected');
    expect((await outcome).kind).toBe('unavailable');
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('tells the page once when the connection fails, or stays disconnected for 5 s; never after its own stop', async () => {
    vi.useFakeTimers();
    server(created);
    const live = async () => {
      let lost = 0;
      const outcome = publishOverWhip('r1', stream, () => (lost += 1), new AbortController().signal);
      await vi.waitFor(() => expect(FakePeerConnection.last?.remote).toBe('v=0 answer'));
      const pc = FakePeerConnection.last!;
      pc.become('connected');
      const result = await outcome;
      if (result.kind !== 'live') throw new Error('expected live');
      return { pc, stop: () => result.publish.stop(), lost: () => lost };
    };

    const failed = await live();
    failed.pc.become('failed');
    failed.pc.become('failed');
    expect(failed.lost()).toBe(1);

    const blip = await live();
    blip.pc.become('disconnected');
    await vi.advanceTimersByTimeAsync(4000);
    blip.pc.become('connected'); // back by itself: nothing lost
    await vi.advanceTimersByTimeAsync(5000);
    expect(blip.lost()).toBe(0);
    blip.pc.become('disconnected');
    await vi.advanceTimersByTimeAsync(5000);
    expect(blip.lost()).toBe(1);

    const stopped = await live();
    stopped.stop();
    stopped.pc.become('failed');
    expect(stopped.lost()).toBe(0);
  });
});
