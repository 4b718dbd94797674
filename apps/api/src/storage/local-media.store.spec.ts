import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { hlsFile } from '../hls/hls-file.js';
import { LocalMediaStore } from './local-media.store.js';
import { mediaKeys } from './media-keys.js';

const id = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
let store: LocalMediaStore;
let root: string;

/** What the HLS route would serve for these path segments: the object's key, or null. */
async function served(segments: string[]): Promise<string | null> {
  const file = hlsFile(id, segments);
  return file && (await store.stat(file.key)) ? file.key : null;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rr-storage-'));
  store = new LocalMediaStore(loadConfig({ MEDIA_ROOT: root }));
  await store.onModuleInit();
  mkdirSync(join(root, id, 'hls', 'high'), { recursive: true });
  writeFileSync(join(root, id, 'hls', 'master.m3u8'), '#EXTM3U');
  writeFileSync(join(root, id, 'hls', 'high', 'seg_00000.m4s'), 'x');
  writeFileSync(join(root, id, 'source'), 'secret source');
  writeFileSync(join(root, 'outside.m3u8'), 'outside');
});

describe(LocalMediaStore.name, () => {
  it('resolves files inside the media hls directory', async () => {
    expect(await served(['master.m3u8'])).toBe(`${id}/hls/master.m3u8`);
    expect(await served(['high', 'seg_00000.m4s'])).toBe(`${id}/hls/high/seg_00000.m4s`);
    expect(await store.stat(`${id}/hls/master.m3u8`)).toMatchObject({ size: 7 });
  });

  it('refuses traversal, dot segments, separators, absolute paths and directories', async () => {
    const bad = [
      ['..', 'source'],
      ['..', '..', 'outside.m3u8'],
      ['.'],
      ['high'],
      ['/etc/passwd'],
      ['high/../../source'],
      ['a\\..\\b'],
      ['.hidden'],
      [],
      ['a', 'b', 'c', 'd'],
    ];
    for (const segments of bad) expect(await served(segments), JSON.stringify(segments)).toBeNull();
    expect(await store.stat(`${id}/hls/high`)).toBeNull();
  });

  it('refuses a symlink in the output that leads outside it', async () => {
    symlinkSync('/etc', join(root, id, 'hls', 'etc'));
    symlinkSync(join(root, id, 'source'), join(root, id, 'hls', 'src.m3u8'));
    expect(await served(['etc', 'passwd'])).toBeNull();
    expect(await served(['src.m3u8'])).toBeNull();
    await expect(store.read(`${id}/hls/src.m3u8`)).rejects.toThrow();
  });

  it('refuses keys that could leave MEDIA_ROOT, before touching the disk', async () => {
    for (const key of ['../outside.m3u8', '/etc/passwd', `${id}/../outside.m3u8`, `${id}//source`, 'a\\b', '']) {
      await expect(store.readHead(key, 4), key).rejects.toThrow(/not a storage key/);
      await expect(store.delete(key), key).rejects.toThrow(/not a storage key/);
    }
    await expect(store.deletePrefix('..')).rejects.toThrow(/not a storage key/);
    await expect(store.list('/')).rejects.toThrow(/not a storage key/);
    expect(readFileSync(join(root, 'outside.m3u8'), 'utf8')).toBe('outside');
  });

  it('creates the staging directories, and moves a staged upload to its media source', async () => {
    expect(existsSync(store.stagingDirectory('incoming'))).toBe(true);
    expect(existsSync(store.stagingDirectory('tus'))).toBe(true);
    writeFileSync(join(store.stagingDirectory('incoming'), 'abc'), 'upload bytes');
    const other = '11111111-1c7a-4a57-9a43-0a3c1c0f2b11';
    expect((await store.readHead(mediaKeys.staged('incoming', 'abc'), 6)).toString()).toBe('upload');
    await store.move(mediaKeys.staged('incoming', 'abc'), mediaKeys.source(other));
    expect(readFileSync(join(root, other, 'source'), 'utf8')).toBe('upload bytes');
    expect(existsSync(join(store.stagingDirectory('incoming'), 'abc'))).toBe(false);
  });

  it('writes a stream atomically, reads it back, lists a folder and deletes by prefix', async () => {
    const media = '22222222-1c7a-4a57-9a43-0a3c1c0f2b11';
    await store.write(`${media}/hls/poster.jpg`, Readable.from([Buffer.from('jp'), Buffer.from('eg')]));
    await store.write(`${media}/hls/master.m3u8`, Readable.from(['#EXTM3U']));
    expect(readdirSync(join(root, media, 'hls')).sort()).toEqual(['master.m3u8', 'poster.jpg']);
    expect(await text(await store.read(`${media}/hls/poster.jpg`))).toBe('jpeg');
    expect((await store.list(`${media}/hls/`)).map((o) => [o.key, o.size]).sort()).toEqual([
      [`${media}/hls/master.m3u8`, 7],
      [`${media}/hls/poster.jpg`, 4],
    ]);
    expect(await store.list('nothing-here/')).toEqual([]);
    await store.deletePrefix(mediaKeys.folder(media));
    expect(existsSync(join(root, media))).toBe(false);
    await expect(store.delete(`${media}/hls/poster.jpg`)).resolves.toBeUndefined();
  });

  it('leaves no partial object behind when the stream fails', async () => {
    const key = '33333333-1c7a-4a57-9a43-0a3c1c0f2b11/source';
    const failing = new Readable({
      read() {
        this.push('half');
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.write(key, failing)).rejects.toThrow('client went away');
    expect(readdirSync(join(root, '33333333-1c7a-4a57-9a43-0a3c1c0f2b11'))).toEqual([]);
  });
});
