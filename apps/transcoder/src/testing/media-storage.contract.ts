import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaStorage } from '../storage/media-storage.js';

export interface StorageUnderTest {
  storage: MediaStorage;
  /** Whether ffmpeg's local files are the stored objects (local disk, memory) or scratch (S3). */
  localIsStored: boolean;
  /** Whether localPath names a real file on this machine (not in memory). */
  realFiles: boolean;
  /** Writes a file where ffmpeg would (at `localPath(key)`), as ffmpeg does. */
  writeLocal(key: string, data: string): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every MediaStorage must have, run against each implementation: local disk and memory in
 * the unit project, S3 against a real S3-protocol server in the integration project
 * (test/integration/s3-storage.test.ts). The pipeline relies on exactly these.
 */
export function describeMediaStorageContract(name: string, make: () => Promise<StorageUnderTest>): void {
  describe(`MediaStorage contract: ${name}`, () => {
    let t: StorageUnderTest;
    let s: MediaStorage;
    beforeEach(async () => {
      t = await make();
      s = t.storage;
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('writes, reads back whole, by head and as text, and replaces an object', async () => {
      await s.write('m1/hls/master.m3u8', '#EXTM3U\n');
      expect(await s.readText('m1/hls/master.m3u8')).toBe('#EXTM3U\n');
      await s.write('m1/hls/master.m3u8', Buffer.from('0123456789'));
      expect((await s.read('m1/hls/master.m3u8')).toString()).toBe('0123456789');
      expect((await s.readHead('m1/hls/master.m3u8', 4)).toString()).toBe('0123');
      expect((await s.readHead('m1/hls/master.m3u8', 100)).toString()).toBe('0123456789');
      expect(await s.size('m1/hls/master.m3u8')).toBe(10);
    });

    it('answers "not there" for a missing object, and rejects reading one', async () => {
      expect(await s.size('m1/nothing')).toBeUndefined();
      await expect(s.read('m1/nothing')).rejects.toThrow();
      await expect(s.readHead('m1/nothing', 10)).rejects.toThrow();
    });

    it('reads the head of an empty object as empty', async () => {
      await s.write('m1/empty', '');
      expect(await s.size('m1/empty')).toBe(0);
      expect((await s.readHead('m1/empty', 10)).length).toBe(0);
    });

    it('streams a write that appears under its key only on commit, and leaves nothing on discard', async () => {
      const up = await s.openWrite('m1/source');
      up.stream.write('abc');
      await new Promise<void>((resolve) => up.stream.end('def', resolve));
      expect(await s.size('m1/source')).toBeUndefined();
      await up.commit();
      expect((await s.read('m1/source')).toString()).toBe('abcdef');

      const gone = await s.openWrite('m2/source');
      await new Promise<void>((resolve) => gone.stream.end('partial', resolve));
      await gone.discard();
      expect(await s.size('m2/source')).toBeUndefined();
      expect(await s.list('m2')).toEqual([]);
    });

    it('renames over an existing object, deletes quietly, lists sorted and recursively', async () => {
      await s.write('m1/hls/a/init_0.mp4', 'init');
      await s.write('m1/hls/a/init.mp4', 'old');
      await s.rename('m1/hls/a/init_0.mp4', 'm1/hls/a/init.mp4');
      expect((await s.read('m1/hls/a/init.mp4')).toString()).toBe('init');
      expect(await s.size('m1/hls/a/init_0.mp4')).toBeUndefined();
      await s.write('m1/hls/b/seg_1.m4s', 'x');
      await s.write('m10/hls/other', 'not in m1');
      expect(await s.list('m1')).toEqual(['m1/hls/a/init.mp4', 'm1/hls/b/seg_1.m4s']);
      expect(await s.list('m1/hls/b')).toEqual(['m1/hls/b/seg_1.m4s']);
      await s.delete('m1/hls/b/seg_1.m4s');
      await s.delete('m1/hls/b/seg_1.m4s');
      expect(await s.list('m1/hls/b')).toEqual([]);
      expect(await s.list('nothing')).toEqual([]);
    });

    it('deletes everything under a prefix and nothing beside it', async () => {
      await s.write('m1/source', 'src');
      await s.write('m1/hls/master.m3u8', 'm');
      await s.write('m1/hls/low/seg_1.m4s', 's');
      await s.write('m10/source', 'keep');
      await s.deletePrefix('m1');
      expect(await s.list('m1')).toEqual([]);
      expect((await s.read('m10/source')).toString()).toBe('keep');
      await s.deletePrefix('m1');
    });

    it('publishes what ffmpeg wrote locally: segments and playlists, not files still being written', async () => {
      await s.prepareLocal('m1/hls/low');
      await t.writeLocal('m1/hls/low/init.mp4', 'init');
      await t.writeLocal('m1/hls/low/seg_1.m4s', 'one');
      await t.writeLocal('m1/hls/low/seg_2.m4s.tmp', 'half');
      await t.writeLocal('m1/hls/low/index.m3u8', '#EXTM3U\n#EXTINF:2,\nseg_1.m4s\n');
      await s.publishLocal('m1/hls');
      const stored = await s.list('m1/hls');
      expect(stored).toEqual(expect.arrayContaining(['m1/hls/low/index.m3u8', 'm1/hls/low/init.mp4', 'm1/hls/low/seg_1.m4s']));
      // With scratch space, a file ffmpeg has not renamed into place yet stays on this machine.
      if (!t.localIsStored) expect(stored).not.toContain('m1/hls/low/seg_2.m4s.tmp');
      expect(await s.readText('m1/hls/low/index.m3u8')).toContain('seg_1.m4s');

      // The next round: a new segment and the grown playlist.
      await t.writeLocal('m1/hls/low/seg_2.m4s', 'two');
      await t.writeLocal('m1/hls/low/index.m3u8', '#EXTM3U\n#EXTINF:2,\nseg_1.m4s\n#EXTINF:2,\nseg_2.m4s\n');
      await s.publishLocal('m1/hls');
      expect((await s.read('m1/hls/low/seg_2.m4s')).toString()).toBe('two');
      expect(await s.readText('m1/hls/low/index.m3u8')).toContain('seg_2.m4s');
    });

    it('reads and replaces a local file as ffmpeg would, which publishLocal then publishes', async () => {
      await s.prepareLocal('m1/hls/low');
      expect(await s.readLocalText('m1/hls/low/index.m3u8')).toBeUndefined();
      await t.writeLocal('m1/hls/low/ffmpeg.m3u8.part', '#EXTM3U\n');
      expect(await s.readLocalText('m1/hls/low/ffmpeg.m3u8.part')).toBe('#EXTM3U\n');
      await s.writeLocalText('m1/hls/low/index.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n');
      await s.writeLocalText('m1/hls/low/index.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:3\n');
      expect(await s.readLocalText('m1/hls/low/index.m3u8')).toBe('#EXTM3U\n#EXT-X-TARGETDURATION:3\n');
      await s.publishLocal('m1/hls');
      expect(await s.readText('m1/hls/low/index.m3u8')).toBe('#EXTM3U\n#EXT-X-TARGETDURATION:3\n');
      // A `.part` file is never published (with scratch space): ffmpeg's own playlist stays on this machine.
      if (!t.localIsStored) expect(await s.size('m1/hls/low/ffmpeg.m3u8.part')).toBeUndefined();
      expect((await s.list('m1/hls/low')).filter((k) => k.endsWith('.tmp'))).toEqual([]);
    });

    it('publishes a single file by its key', async () => {
      await s.prepareLocal('m1/hls');
      await t.writeLocal('m1/hls/.poster.jpg.tmp', 'jpeg');
      await s.publishLocal('m1/hls/.poster.jpg.tmp');
      expect(await s.size('m1/hls/.poster.jpg.tmp')).toBe(4);
    });

    it("hands ffmpeg a local file with a stored object's bytes, and drops scratch copies on release", async () => {
      await s.write('m1/source', 'the source');
      const path = await s.fetchLocal('m1/source');
      if (t.realFiles) expect(await readFile(path, 'utf8')).toBe('the source');
      await s.releaseLocal('m1');
      // Released scratch is gone from this machine; the stored object never is.
      expect((await s.read('m1/source')).toString()).toBe('the source');
      if (!t.localIsStored) await expect(readFile(path)).rejects.toThrow();
    });

    it("names where ffmpeg reads an object in place: the stored file, or a URL answering range requests with the object's bytes", async () => {
      await s.write('m1/source', 'the source bytes');
      const input = await s.inputFor('m1/source', 60);
      if (/^https?:/.test(input)) {
        const res = await fetch(input, { headers: { range: 'bytes=4-9' } });
        expect(res.status).toBe(206);
        expect(await res.text()).toBe('source');
      } else if (t.realFiles) expect(await readFile(input, 'utf8')).toBe('the source bytes');
      else expect(input).toBe(s.localPath('m1/source'));
      await expect(s.inputFor('m1/nothing', 60)).rejects.toThrow();
    });

    it("keeps a workspace's local files apart, its stored objects shared, and removes it with its last files", async () => {
      const ws = s.workspace('chunk-1');
      await ws.prepareLocal('m1/hls/low');
      // Where the local files are the stored ones, a workspace is the storage itself.
      if (t.localIsStored) await t.writeLocal('m1/hls/low/seg_1.m4s', 'one');
      else await fileWriter(ws)('m1/hls/low/seg_1.m4s', 'one');
      await ws.publishLocal('m1/hls');
      expect((await s.read('m1/hls/low/seg_1.m4s')).toString()).toBe('one');
      if (!t.localIsStored) {
        expect(ws.localPath('m1/hls/low/seg_1.m4s')).not.toBe(s.localPath('m1/hls/low/seg_1.m4s'));
        // The parent releasing the media's scratch leaves the workspace's files alone.
        await s.releaseLocal('m1');
        expect(await readFile(ws.localPath('m1/hls/low/seg_1.m4s'), 'utf8')).toBe('one');
        await ws.releaseLocal('m1');
        await expect(readFile(join(ws.localPath('m1'), '..'))).rejects.toThrow(/ENOENT/);
      }
      expect(() => s.workspace('../x')).toThrow(/workspace name/);
    });
  });
}

/** writeLocal for implementations whose localPath is a real file on this machine. */
export function fileWriter(storage: MediaStorage) {
  return async (key: string, data: string) => {
    const path = storage.localPath(key);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, data);
  };
}
