import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMediaStorageContract, fileWriter } from '../testing/media-storage.contract.js';
import { LocalDiskStorage } from './local-disk.storage.js';
import { MemoryStorage } from './memory.storage.js';

// The S3 implementation runs the same contract against a real S3-protocol server: test/integration/s3-storage.test.ts.

describeMediaStorageContract('local disk', async () => {
  const root = await mkdtemp(join(tmpdir(), 'rr-contract-'));
  const storage = new LocalDiskStorage(root);
  return {
    storage,
    localIsStored: true,
    realFiles: true,
    writeLocal: fileWriter(storage),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describeMediaStorageContract('memory', async () => {
  const storage = new MemoryStorage();
  return {
    storage,
    localIsStored: true,
    realFiles: false,
    writeLocal: async (key, data) => storage.putLocal(storage.localPath(key), data),
    cleanup: async () => undefined,
  };
});
