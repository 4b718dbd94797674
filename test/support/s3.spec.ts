import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBucket, startS3Server, testS3Client } from './s3.js';

// The tests' S3 server must overwrite as S3 does (atomically): the low-latency packager rewrites playlists
// while the API and the transcoder read them, and a torn read there is s3rver's fault, not the product's.
describe('the test S3 server', () => {
  let server: Awaited<ReturnType<typeof startS3Server>>;
  let client: ReturnType<typeof testS3Client>;
  let bucket: string;
  beforeAll(async () => {
    server = await startS3Server();
    client = testS3Client(server.endpoint);
    bucket = await createTestBucket(client);
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  it('gives a read during an overwrite the whole old object or the whole new one', async () => {
    const versions = ['a', 'b'].map((c) => Buffer.alloc(200_000, c));
    const put = (i: number) => client.send(new PutObjectCommand({ Bucket: bucket, Key: 'playlist', Body: versions[i % 2] }));
    await put(0);
    let writing = true;
    const writer = (async () => {
      for (let i = 1; writing; i++) await put(i);
    })();
    const seen: string[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        const read = await client
          .send(new GetObjectCommand({ Bucket: bucket, Key: 'playlist' }))
          .then(async (r) => Buffer.from(await r.Body!.transformToByteArray()))
          .catch((err: unknown) => String(err));
        const whole = Buffer.isBuffer(read) && (read.equals(versions[0]) || read.equals(versions[1]));
        seen.push(whole ? 'whole' : Buffer.isBuffer(read) ? `torn (${read.length} bytes)` : read);
      }
    } finally {
      writing = false;
      await writer;
    }
    expect(seen).toEqual(Array(30).fill('whole'));
  });
});
