import type { Page } from 'playwright-core';

export interface WhipResult {
  status: number;
  /** The session's URL (201 only). */
  location: string | null;
  /** The error's message (not 201). */
  message: string | null;
}

/**
 * Publishes the page's (fake) camera and microphone over WHIP, as the web app does: H.264 first, the whole
 * offer once ICE gathering is done, then waits for the connection. `codecs: 'vp8'` offers VP8 only.
 * The connection stays on window.__whip (closeWhip closes it without the DELETE).
 */
export function whipPublish(page: Page, opts: { url: string; token?: string; codecs?: 'h264' | 'vp8' }): Promise<WhipResult> {
  return page.evaluate(async ({ url, token, codecs }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: true });
    const pc = new RTCPeerConnection();
    (window as unknown as { __whip: RTCPeerConnection }).__whip = pc;
    for (const track of stream.getTracks()) {
      const t = pc.addTransceiver(track, { direction: 'sendonly' });
      if (track.kind !== 'video') continue;
      const all = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
      const want = codecs === 'vp8' ? all.filter((c) => c.mimeType === 'video/VP8') : all.filter((c) => c.mimeType === 'video/H264');
      t.setCodecPreferences(want);
      const params = t.sender.getParameters();
      params.degradationPreference = 'maintain-resolution';
      await t.sender.setParameters(params);
    }
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 2000);
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: pc.localDescription!.sdp,
    });
    if (res.status !== 201) {
      pc.close();
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      return { status: res.status, location: null, message: body.message ?? null };
    }
    const location = res.headers.get('location');
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pc.connectionState === 'connected') resolve();
        else if (pc.connectionState === 'failed') reject(new Error('WebRTC connection failed'));
      };
      pc.addEventListener('connectionstatechange', check);
      check();
      setTimeout(() => reject(new Error(`WebRTC not connected after 15 s (${pc.connectionState})`)), 15_000);
    });
    return { status: 201, location, message: null };
  }, opts);
}

/** Closes the page's WHIP connection without telling the server (a closed tab does that). */
export function closeWhip(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as { __whip?: RTCPeerConnection }).__whip?.close());
}
