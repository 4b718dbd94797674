import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MemoryMediaStore } from '../testing/memory-media.store.js';
import { silentLogger } from '../testing/silent-logger.js';
import { ROOM, uploadsFixture } from '../testing/uploads.fixture.js';
import { TusEndpoint } from './tus.endpoint.js';
import { UploadsSweep } from './uploads.sweep.js';

/** tus's own sweep: removes what it is told to, or fails. */
class FakeTus extends TusEndpoint {
  constructor(private readonly sweep: () => Promise<number>) {
    super();
  }
  handle(_req: IncomingMessage, _res: ServerResponse): Promise<void> {
    throw new Error('the sweep serves no requests');
  }
  discard(_id: string): Promise<void> {
    throw new Error('the sweep discards nothing itself');
  }
  cleanUpExpiredUploads(): Promise<number> {
    return this.sweep();
  }
}

const HOUR = 3_600_000;
const NOW = 10 * HOUR;
const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(32)) as [string, string, string, string];

function setup(tusSweep: () => Promise<number> = async () => 0) {
  const t = uploadsFixture({ UPLOAD_EXPIRY_HOURS: '1' });
  const store = new MemoryMediaStore();
  const old = new Date(NOW - 2 * HOUR);
  const fresh = new Date(NOW - 60_000);
  store.put(`.tus/${A}`, 'x', old); // a stray data file, expired: tus cannot see it without its info file
  store.put(`.tus/${B}.json`, '{}', old); // a stray info file, expired
  store.put(`.tus/${C}`, 'x', fresh); // a stray data file, still young: an upload being created
  store.put(`.tus/${D}`, 'x', old); // a pair: tus's own sweep decides
  store.put(`.tus/${D}.json`, '{}', old);
  store.put('.tus/notes.txt', 'x', old); // not an upload: left alone
  const sweep = new UploadsSweep(new FakeTus(tusSweep), store, t.service, t.config, silentLogger);
  return { ...t, store, sweep };
}

describe(UploadsSweep.name, () => {
  it("removes stray expired files tus cannot see, after tus's own sweep, and expired rows", async () => {
    const t = setup(async () => 1);
    await t.repo.create({ id: A, userId: 'ana', roomId: ROOM, sizeBytes: 1, filename: 'a', expiresAt: new Date(NOW - HOUR) });
    await t.repo.create({ id: C, userId: 'ana', roomId: ROOM, sizeBytes: 1, filename: 'c', expiresAt: new Date(NOW + HOUR) });
    expect(await t.sweep.run(NOW)).toEqual({ files: 3, rows: 1 });
    expect([...t.store.objects.keys()].sort()).toEqual([`.tus/${C}`, `.tus/${D}`, `.tus/${D}.json`, '.tus/notes.txt']);
    expect([...t.repo.rows.keys()]).toEqual([C]);
  });

  it("still removes stray files and rows when tus's own sweep fails", async () => {
    const t = setup(async () => {
      throw new Error('EACCES');
    });
    expect(await t.sweep.run(NOW)).toEqual({ files: 2, rows: 0 });
    expect(t.store.objects.has(`.tus/${A}`)).toBe(false);
  });

  it('is idempotent: a second run finds nothing', async () => {
    const t = setup();
    await t.sweep.run(NOW);
    expect(await t.sweep.run(NOW)).toEqual({ files: 0, rows: 0 });
  });
});
