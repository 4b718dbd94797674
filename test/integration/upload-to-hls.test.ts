import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MediaView, RoomSnapshot, ServerToClientEvents } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { parseMaster, parseMediaPlaylist, segmentStarts } from '../support/hls.js';
import type { Reply } from '../support/socket.js';

// The spine, with every real part: upload over HTTP -> BullMQ -> transcoder process running ffmpeg ->
// PostgreSQL state -> socket.io events -> HLS served over HTTP.
let stack: Stack;
let owner: ApiClient;
let scratch: string;

beforeAll(async () => {
  stack = await startStack({ web: false });
  owner = new ApiClient(stack.baseUrl);
  await owner.register();
  scratch = mkdtempSync(join(tmpdir(), 'rr-spine-'));
});
afterAll(async () => {
  await stack?.stop();
});

const fetchBuf = async (path: string) => {
  const res = await owner.request('GET', path);
  expect(res.status, path).toBe(200);
  return { res, buf: Buffer.from(await res.arrayBuffer()) };
};

describe('upload to adaptive HLS', () => {
  it('turns a 720p upload into three aligned fMP4 renditions with a spec-complete master playlist, reporting progress live', async () => {
    const room = await owner.createRoom('Spine');
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(stack.baseUrl, {
      path: '/socket.io',
      auth: { token: owner.token },
      transports: ['websocket'],
    });
    const updates: MediaView[] = [];
    const progress: number[] = [];
    socket.on('media:updated', (m) => updates.push(m));
    socket.on('media:progress', (p) => progress.push(p.progress));
    // socket.io-client types the reply of timeout().emitWithAck() as any: it is the contract's room:join ack.
    const joined = (await socket.timeout(5000).emitWithAck('room:join', { roomId: room.id })) as Reply<RoomSnapshot>;
    expect(joined).toMatchObject({ ok: true, data: { room: { id: room.id } } });

    const clip = await makeClip({ seconds: 10, width: 1280, height: 720, fps: 30, audio: true, dir: scratch });
    const queued = await owner.upload(room.id, clip, 'holiday.mp4');
    const ready = await owner.waitForMedia(queued.id);
    expect(ready.error).toBeNull();
    expect(ready).toMatchObject({
      status: 'ready',
      progress: 100,
      width: 1280,
      height: 720,
      playbackUrl: `/media/${queued.id}/master.m3u8`,
    });
    expect(ready.durationSec).toBeCloseTo(10, 0);
    expect(ready.renditions.map((r) => [r.name, r.height])).toEqual([
      ['high', 720],
      ['medium', 480],
      ['low', 360],
    ]);

    // Live updates reached the room: queued -> processing -> ready, with progress in between.
    await expect
      .poll(
        () =>
          updates
            .filter((u) => u.id === queued.id)
            .map((u) => u.status)
            .at(-1),
        { timeout: 5000 },
      )
      .toBe('ready');
    const statuses = updates.filter((u) => u.id === queued.id).map((u) => u.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses).toContain('processing');
    expect(progress.length).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBeGreaterThan(50);
    socket.close();

    // Master playlist: served with the HLS content type, one variant per rung, every MUST attribute.
    const { res: masterRes, buf: masterBuf } = await fetchBuf(ready.playbackUrl!);
    expect(masterRes.headers.get('content-type')).toContain('application/vnd.apple.mpegurl');
    expect(masterRes.headers.get('cache-control')).toContain('no-cache');
    const variants = parseMaster(masterBuf.toString());
    expect(variants).toHaveLength(3);
    for (const v of variants) {
      expect(v.attrs.CODECS).toMatch(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/i);
      expect(v.attrs.RESOLUTION).toMatch(/^\d+x\d+$/);
      expect(Number(v.attrs['FRAME-RATE'])).toBeCloseTo(30, 1);
      expect(Number(v.attrs.BANDWIDTH)).toBeGreaterThanOrEqual(Number(v.attrs['AVERAGE-BANDWIDTH']));
    }
    expect(variants.map((v) => v.attrs.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360']);

    // Every rung: segments start with a keyframe, at the same timestamps across rungs.
    const startsPerRung: number[][] = [];
    for (const v of variants) {
      const base = `/media/${queued.id}/${v.uri.split('/').slice(0, -1).join('/')}`;
      const playlist = parseMediaPlaylist((await fetchBuf(`/media/${queued.id}/${v.uri}`)).buf.toString());
      expect(playlist.ended).toBe(true);
      expect(playlist.map).toBeTruthy();
      const { res: initRes, buf: init } = await fetchBuf(`${base}/${playlist.map}`);
      expect(initRes.headers.get('content-type')).toBe('video/mp4');
      const segs: Buffer[] = [];
      for (const s of playlist.segments) {
        const { res: segRes, buf } = await fetchBuf(`${base}/${s.uri}`);
        expect(segRes.headers.get('content-type')).toBe('video/iso.segment');
        expect(segRes.headers.get('cache-control')).toContain('immutable');
        segs.push(buf);
      }
      const starts = segmentStarts(init, segs);
      expect(
        starts.every((s) => s.key),
        `${v.uri} segments start on keyframes`,
      ).toBe(true);
      startsPerRung.push(starts.map((s) => Math.round(s.pts * 1000)));
    }
    expect(startsPerRung[0].length).toBeGreaterThanOrEqual(2);
    expect(startsPerRung[1]).toEqual(startsPerRung[0]);
    expect(startsPerRung[2]).toEqual(startsPerRung[0]);
  });

  it('gives a 480p source fewer rungs (no upscaling)', async () => {
    const room = await owner.createRoom('Small');
    const clip = await makeClip({ seconds: 4, width: 640, height: 480, audio: false, dir: scratch });
    const ready = await owner.waitForMedia((await owner.upload(room.id, clip)).id);
    expect(ready.status).toBe('ready');
    expect(ready.renditions.map((r) => r.height)).toEqual([480, 360]);
    const variants = parseMaster((await fetchBuf(ready.playbackUrl!)).buf.toString());
    expect(variants).toHaveLength(2);
    expect(variants[0].attrs.CODECS).toMatch(/^avc1\.[0-9a-f]{6}$/i);
  });

  it('fails a file that sniffs as a container but cannot be decoded, with a readable reason and no retry', async () => {
    const room = await owner.createRoom('Broken');
    const { writeFileSync } = await import('node:fs');
    const broken = join(scratch, 'broken.mp4');
    // A valid ftyp box followed by garbage: passes the sniffer, fails ffprobe.
    writeFileSync(broken, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\0\0isomavc1'), Buffer.alloc(4096, 0x5a)]));
    const failed = await owner.waitForMedia((await owner.upload(room.id, broken)).id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/not a video we can read|could not/i);
    expect(failed.playbackUrl).toBeNull();
  });
});
