import { describe, expect, it } from 'vitest';
import { createS3Client, isS3NotFound, s3ClientConfig } from './client.js';

const minio = {
  bucket: 'reelroom-media',
  endpoint: 'http://minio:9000',
  region: 'us-east-1',
  credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
  forcePathStyle: true,
};

describe(s3ClientConfig.name, () => {
  it('passes the endpoint, path style and credentials, and asks for checksums only where required', () => {
    expect(s3ClientConfig(minio)).toEqual({
      region: 'us-east-1',
      forcePathStyle: true,
      endpoint: 'http://minio:9000',
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });

  it("leaves out what is unset, so the SDK uses AWS's endpoint and its default credential chain", () => {
    const config = s3ClientConfig({ ...minio, endpoint: undefined, credentials: undefined, forcePathStyle: false });
    expect(config).not.toHaveProperty('endpoint');
    expect(config).not.toHaveProperty('credentials');
  });

  it('builds a client with those options', async () => {
    const client = createS3Client(minio);
    expect(await client.config.region()).toBe('us-east-1');
    expect(client.config.forcePathStyle).toBe(true);
    expect((await client.config.credentials()).accessKeyId).toBe('key');
    client.destroy();
  });
});

describe(isS3NotFound.name, () => {
  it('knows a 404 by name (GET, HEAD) or by status, and nothing else', () => {
    expect(isS3NotFound({ name: 'NoSuchKey' })).toBe(true);
    expect(isS3NotFound({ name: 'NotFound' })).toBe(true);
    expect(isS3NotFound({ name: 'Unknown', $metadata: { httpStatusCode: 404 } })).toBe(true);
    expect(isS3NotFound({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(isS3NotFound(undefined)).toBe(false);
  });
});
