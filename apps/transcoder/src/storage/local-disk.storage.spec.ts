import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiskStorage } from './local-disk.storage.js';
import { assertKey, joinKey, mediaKeys } from './media-storage.js';

describe(LocalDiskStorage.name, () => {
  let root: string;
  let storage: LocalDiskStorage;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rr-storage-'));
    storage = new LocalDiskStorage(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('maps keys to files under the root, and nothing outside it', () => {
    expect(storage.localPath('m1/hls/high/index.m3u8')).toBe(join(root, 'm1', 'hls', 'high', 'index.m3u8'));
    for (const bad of ['../etc/passwd', '/etc/passwd', 'm1/../../x', 'm1//x', 'm1/./x', '', 'a\\b', 'a\0b']) {
      expect(() => storage.localPath(bad), bad).toThrow(/invalid storage key/);
    }
  });

  it('writes atomically (no temp file left), creating the folder, and reads back', async () => {
    await storage.write('m1/hls/master.m3u8', '#EXTM3U\n');
    expect(await storage.readText('m1/hls/master.m3u8')).toBe('#EXTM3U\n');
    expect(await readdir(join(root, 'm1', 'hls'))).toEqual(['master.m3u8']);
    await storage.write('m1/hls/master.m3u8', Buffer.from('v2'));
    expect((await storage.read('m1/hls/master.m3u8')).toString()).toBe('v2');
  });

  it('streams a write into a part file that appears under its key only on commit', async () => {
    const upload = await storage.openWrite('m1/source');
    upload.stream.write('abc');
    await new Promise<void>((resolve) => upload.stream.end('def', resolve));
    expect(await storage.size('m1/source')).toBeUndefined();
    await upload.commit();
    expect(await storage.readText('m1/source')).toBe('abcdef');
    expect(await readdir(join(root, 'm1'))).toEqual(['source']);
  });

  it('keeps a stream error for commit() instead of letting it end the process, and discards without a trace', async () => {
    const upload = await storage.openWrite('m1/source');
    // A write that fails after the caller stopped listening (a cancel mid-chunk ended in
    // ERR_STREAM_DESTROYED, which crashed the worker: an 'error' nobody listens to ends the process).
    expect(() => upload.stream.emit('error', new Error('ENOSPC: no space left on device'))).not.toThrow();
    await expect(upload.commit()).rejects.toThrow('ENOSPC');
    await upload.discard();
    expect(await readdir(join(root, 'm1'))).toEqual([]);
  });

  it('answers "not there" with undefined sizes rather than errors', async () => {
    expect(await storage.size('m1/hls/high/seg_00000.m4s')).toBeUndefined();
    await storage.write('m1/f', 'x');
    expect(await storage.size('m1/f/below')).toBeUndefined();
    expect(await storage.size('m1')).toBeUndefined(); // a folder is not an object
    expect(await storage.size('m1/f')).toBe(1);
  });

  it('renames over an existing key and deletes without complaining about missing keys', async () => {
    await storage.write('m1/hls/.poster.jpg.tmp', 'new');
    await storage.write('m1/hls/poster.jpg', 'old');
    await storage.rename('m1/hls/.poster.jpg.tmp', 'm1/hls/poster.jpg');
    expect(await storage.readText('m1/hls/poster.jpg')).toBe('new');
    await storage.delete('m1/hls/poster.jpg');
    await storage.delete('m1/hls/poster.jpg');
    expect(await storage.size('m1/hls/poster.jpg')).toBeUndefined();
  });

  it('lists every file under a prefix as sorted keys, and deletes a prefix whole', async () => {
    await storage.prepareLocal('m1/hls/high');
    await writeFile(storage.localPath('m1/hls/high/seg_00001.m4s'), 'b');
    await writeFile(storage.localPath('m1/hls/high/init.mp4'), 'a');
    await storage.write('m1/hls/master.m3u8', 'm');
    await storage.write('m1/source', 's');
    expect(await storage.list('m1/hls')).toEqual(['m1/hls/high/init.mp4', 'm1/hls/high/seg_00001.m4s', 'm1/hls/master.m3u8']);
    expect(await storage.list('m2')).toEqual([]);
    await storage.deletePrefix('m1/hls');
    await storage.deletePrefix('m1/hls');
    expect(existsSync(join(root, 'm1', 'hls'))).toBe(false);
    expect(await readFile(join(root, 'm1', 'source'), 'utf8')).toBe('s');
  });
});

describe(assertKey.name, () => {
  it('builds keys from parts and media ids', () => {
    expect(joinKey('m1', 'hls', 'high')).toBe('m1/hls/high');
    expect(mediaKeys('7f1d')).toEqual({ folder: '7f1d', source: '7f1d/source', hls: '7f1d/hls' });
    expect(() => joinKey('m1', '..')).toThrow();
  });
});
