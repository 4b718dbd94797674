import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MediaView } from '@reelroom/contracts';
import { S3Storage } from '../../apps/transcoder/src/storage/s3.storage.js';
import { describeMediaStorageContract, fileWriter } from '../../apps/transcoder/src/testing/media-storage.contract.js';
import { S3MediaStore } from '../../apps/api/src/storage/s3-media.store.js';
import { LocalMediaStore } from '../../apps/api/src/storage/local-media.store.js';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { BucketProbe, createTestBucket, testS3Client } from '../support/s3.js';

// STORAGE=s3 against a real S3-protocol server (s3rver, started by global-setup.ts): the transcoder's
// storage contract, the API's store, and the product end to end with no disk shared between processes.

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const client = () => testS3Client(inject('s3Endpoint'));

describeMediaStorageContract('S3', async () => {
  const s3 = client();
  const bucket = await createTestBucket(s3);
  const scratch = await mkdtemp(join(tmpdir(), 'rr-s3-scratch-'));
  const storage = new S3Storage(s3, bucket, scratch);
  return {
    storage,
    localIsStored: false,
    realFiles: true,
    writeLocal: fileWriter(storage),
    cleanup: () => rm(scratch, { recursive: true, force: true }),
  };
});

describe(S3MediaStore.name, () => {
  let probe: BucketProbe;
  let store: S3MediaStore;
  let root: string;
  beforeAll(async () => {
    const s3 = client();
    probe = new BucketProbe(s3, await createTestBucket(s3));
    root = await mkdtemp(join(tmpdir(), 'rr-s3-api-'));
    store = new S3MediaStore(s3, probe.bucket, new LocalMediaStore({ mediaRoot: root }));
    await store.onModuleInit();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a byte range, a head and a stat; a missing object is null and a read of it rejects', async () => {
    await store.write('m1/hls/low/seg_1.m4s', Readable.from([Buffer.from('0123456789')]));
    expect(await store.stat('m1/hls/low/seg_1.m4s')).toMatchObject({ key: 'm1/hls/low/seg_1.m4s', size: 10 });
    const part = await store.read('m1/hls/low/seg_1.m4s', { start: 2, end: 5 });
    const chunks: Buffer[] = [];
    for await (const c of part) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('2345');
    expect((await store.readHead('m1/hls/low/seg_1.m4s', 3)).toString()).toBe('012');
    expect(await store.stat('m1/nothing')).toBeNull();
    await expect(store.read('m1/nothing')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('moves a multipart upload from local staging into the bucket, leaving nothing on the disk', async () => {
    const staged = join(store.stagingDirectory('incoming'), 'abc');
    await writeFile(staged, 'uploaded bytes');
    await store.move('.incoming/abc', 'm2/source');
    expect((await probe.read('m2/source')).toString()).toBe('uploaded bytes');
    expect(existsSync(staged)).toBe(false);
  });

  it("keeps tus's objects at the bucket's top level, lists a folder's direct objects only, and moves within the bucket", async () => {
    await store.write('.tus/0123456789abcdef0123456789abcdef', Readable.from([Buffer.from('tus data')]));
    expect(await probe.exists('0123456789abcdef0123456789abcdef')).toBe(true);
    expect((await store.list('.tus/')).map((o) => o.key)).toEqual(['.tus/0123456789abcdef0123456789abcdef']);
    await store.move('.tus/0123456789abcdef0123456789abcdef', 'm3/source');
    expect((await probe.read('m3/source')).toString()).toBe('tus data');
    expect(await store.list('.tus/')).toEqual([]);
    expect((await store.list('m3/')).map((o) => o.key)).toEqual(['m3/source']);
  });

  it('deletes every object under a media folder, and nothing beside it', async () => {
    for (const k of ['m4/source', 'm4/hls/master.m3u8', 'm4/hls/low/seg_1.m4s', 'm40/source'])
      await store.write(k, Readable.from([Buffer.from(k)]));
    await store.deletePrefix('m4/');
    expect(await probe.keys('m4/')).toEqual([]);
    expect(await probe.exists('m40/source')).toBe(true);
    await expect(store.deletePrefix('.tus/')).rejects.toThrow(/not a storage key/);
  });
});

describe('the product on S3, with no shared disk', () => {
  let stack: Stack;
  let owner: ApiClient;
  let stranger: ApiClient;
  let roomId: string;
  let clipPath: string;
  let clip: Buffer;

  beforeAll(async () => {
    stack = await startStack({ web: false, storage: 's3' });
    owner = new ApiClient(stack.baseUrl);
    await owner.register();
    stranger = new ApiClient(stack.baseUrl);
    await stranger.register();
    roomId = (await owner.createRoom('Object storage')).id;
    const dir = mkdtempSync(join(tmpdir(), 'rr-s3-clip-'));
    clipPath = await makeClip({ seconds: 4, width: 320, height: 240, dir });
    clip = readFileSync(clipPath);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The transcoder's scratch space (its own MEDIA_ROOT): empty of media once a job is done. */
  const scratchEntries = () =>
    readdirSync(stack.logDir)
      .filter((d) => d.endsWith('-scratch'))
      .flatMap((d) => readdirSync(join(stack.logDir, d)));

  it('uploads into the bucket, transcodes from it on a transcoder with its own disk, and serves HLS from it through the API', async () => {
    const queued = await owner.upload(roomId, clipPath, 'clip.mp4');
    const ready = await owner.waitForMedia(queued.id, ['ready', 'failed'], 240_000);
    expect(ready.status).toBe('ready');

    const bucket = stack.bucket!;
    expect(sha256(await bucket.read(`${queued.id}/source`))).toBe(sha256(clip));
    const keys = await bucket.keys(`${queued.id}/`);
    expect(keys).toEqual(expect.arrayContaining([`${queued.id}/hls/master.m3u8`, `${queued.id}/hls/poster.jpg`]));
    // ffmpeg's own playlists (`<rung>/ffmpeg.m3u8.part`) never reach the bucket: only the served copies.
    expect(keys.filter((k) => k.endsWith('.part'))).toEqual([]);
    // Nothing was left on the API's disk (multer's staging) or the transcoder's (its scratch).
    expect(readdirSync(join(stack.mediaRoot, '.incoming'))).toEqual([]);
    expect(scratchEntries()).toEqual([]);

    // Playlists and segments come from the bucket through the API, with the same headers as on disk.
    const master = await owner.request('GET', `/media/${queued.id}/master.m3u8`);
    expect(master.status).toBe(200);
    expect(master.headers.get('cache-control')).toBe('private, no-cache');
    const variant = (await master.text()).split('\n').find((l) => l.endsWith('.m3u8'))!;
    const rung = variant.split('/')[0];
    const playlist = await (await owner.request('GET', `/media/${queued.id}/${variant}`)).text();
    expect(playlist).toContain('#EXT-X-ENDLIST');
    expect(playlist).toContain('#EXT-X-TARGETDURATION:2');
    const segment = playlist.split('\n').find((l) => l.endsWith('.m4s'))!;
    const path = `/media/${queued.id}/${rung}/${segment}`;
    const stored = await bucket.read(`${queued.id}/hls/${rung}/${segment}`);
    const ranged = await owner.request('GET', path, undefined, { range: 'bytes=10-109' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 10-109/${stored.length}`);
    expect(ranged.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(stored.subarray(10, 110));
    const past = await owner.request('GET', path, undefined, { range: `bytes=${stored.length + 10}-` });
    expect(past.status).toBe(416);

    // A non-member gets nothing.
    expect([403, 404]).toContain((await stranger.request('GET', `/media/${queued.id}/master.m3u8`)).status);
    expect([403, 404]).toContain((await stranger.request('GET', path)).status);

    // Deleting the media removes every object.
    expect((await owner.request('DELETE', `/api/media/${queued.id}`)).status).toBe(204);
    expect(await bucket.keys(`${queued.id}/`)).toEqual([]);
  }, 300_000);

  it('takes a resumable upload (tus) in chunks straight into the bucket, leaving none of tus objects behind', async () => {
    const TUS = { 'Tus-Resumable': '1.0.0' };
    const meta = [`roomId ${Buffer.from(roomId).toString('base64')}`, `filename ${Buffer.from('tus.mp4').toString('base64')}`].join(',');
    const created = await owner.raw('POST', '/api/uploads', { ...TUS, 'Upload-Length': String(clip.length), 'Upload-Metadata': meta });
    expect(created.status, await created.clone().text()).toBe(201);
    const id = new URL(created.headers.get('location')!, stack.baseUrl).pathname.split('/').pop()!;
    const chunk = Math.ceil(clip.length / 3);
    let last!: Response;
    for (let off = 0; off < clip.length; off += chunk) {
      last = await owner.raw(
        'PATCH',
        `/api/uploads/${id}`,
        { ...TUS, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(off) },
        clip.subarray(off, off + chunk),
      );
      expect(last.status, await last.clone().text()).toBe(204);
    }
    const mediaId = last.headers.get('reelroom-media-id')!;
    expect(mediaId).toMatch(/^[0-9a-f-]{36}$/);
    const bucket = stack.bucket!;
    expect(sha256(await bucket.read(`${mediaId}/source`))).toBe(sha256(clip));
    // tus's objects (`<id>`, `<id>.info`, `<id>.part`) live at the top level: all gone.
    expect((await bucket.keys(id)).length).toBe(0);
    expect((await owner.waitForMedia(mediaId, ['ready', 'failed'], 240_000)).status).toBe('ready');
    const media = await owner.json<MediaView>('GET', `/api/media/${mediaId}`);
    expect(media.originalName).toBe('tus.mp4');
  }, 300_000);

  it('plays a stream while it is still encoding: the master and the segments it lists are in the bucket before the media is ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-s3-long-'));
    // Long enough that the encode outlasts the first reads on a quiet machine: a 24 s clip at this size
    // encoded in well under a second there, so the playlist was already final when read (seen 3 of 3 alone).
    const long = await makeClip({ seconds: 180, width: 426, height: 240, dir });
    const queued = await owner.upload(roomId, long, 'long.mp4');
    // Playable: the API reports it once master.m3u8 exists, which the pipeline writes after every rung has
    // a segment in the store.
    await expect
      .poll(async () => (await owner.json<MediaView>('GET', `/api/media/${queued.id}`)).playable, { timeout: 240_000, interval: 250 })
      .toBe(true);
    const master = await owner.request('GET', `/media/${queued.id}/master.m3u8`);
    expect(master.status).toBe(200);
    const variant = (await master.text()).split('\n').find((l) => l.endsWith('.m3u8'))!;
    const playlist = await (await owner.request('GET', `/media/${queued.id}/${variant}`)).text();
    // Still an EVENT playlist: the encode goes on. Its target is the grid's 2 already (ffmpeg's own says 1
    // while it lists only 1 s segments): the served copy is the publisher's, uploaded in the mirror's rounds.
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    expect(playlist).toContain('#EXT-X-TARGETDURATION:2');
    expect((await owner.json<MediaView>('GET', `/api/media/${queued.id}`)).status).toBe('processing');
    const first = playlist.split('\n').find((l) => l.endsWith('.m4s'))!;
    expect((await owner.request('GET', `/media/${queued.id}/${variant.split('/')[0]}/${first}`)).status).toBe(200);
    expect((await owner.waitForMedia(queued.id, ['ready', 'failed'], 240_000)).status).toBe('ready');
  }, 300_000);
});
