import { mkdirSync, mkdtempSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { MediaStorage } from './media-storage.js';

const id = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
let storage: MediaStorage;
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rr-storage-'));
  storage = new MediaStorage(loadConfig({ MEDIA_ROOT: root }));
  mkdirSync(join(root, id, 'hls', 'high'), { recursive: true });
  writeFileSync(join(root, id, 'hls', 'master.m3u8'), '#EXTM3U');
  writeFileSync(join(root, id, 'hls', 'high', 'seg_00000.m4s'), 'x');
  writeFileSync(join(root, id, 'source'), 'secret source');
  writeFileSync(join(root, 'outside.m3u8'), 'outside');
});

describe(MediaStorage.name, () => {
  it('resolves files inside the media hls directory', async () => {
    expect(await storage.resolveServedFile(id, ['master.m3u8'])).toBe(join(root, id, 'hls', 'master.m3u8'));
    expect(await storage.resolveServedFile(id, ['high', 'seg_00000.m4s'])).toBe(join(root, id, 'hls', 'high', 'seg_00000.m4s'));
  });

  it('refuses traversal, dot segments, separators, absolute paths and directories', async () => {
    const bad = [['..', 'source'], ['..', '..', 'outside.m3u8'], ['.'], ['high'], ['/etc/passwd'], ['high/../../source'], ['a\\..\\b'], ['.hidden'], [], ['a', 'b', 'c', 'd']];
    for (const segments of bad) expect(await storage.resolveServedFile(id, segments), JSON.stringify(segments)).toBeNull();
  });

  it('refuses a symlink in the output that leads outside it', async () => {
    symlinkSync('/etc', join(root, id, 'hls', 'etc'));
    symlinkSync(join(root, id, 'source'), join(root, id, 'hls', 'src.m3u8'));
    expect(await storage.resolveServedFile(id, ['etc', 'passwd'])).toBeNull();
    expect(await storage.resolveServedFile(id, ['src.m3u8'])).toBeNull();
  });
});
