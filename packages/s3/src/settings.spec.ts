import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { storageEnvShape, storageSettings, storageSettingsProblems } from './settings.js';

/** As each app reads it: the shape spread into its env schema, the problems as its superRefine issues. */
const schema = z.object(storageEnvShape).superRefine((e, ctx) => {
  for (const [path, message] of storageSettingsProblems(e)) ctx.addIssue({ code: 'custom', path: [path], message });
});
const parse = (env: Record<string, string>) => {
  const r = schema.safeParse(env);
  return r.success ? { settings: storageSettings(r.data) } : { problems: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
};

describe('STORAGE and S3_* (both apps)', () => {
  it('defaults to local disk', () => {
    expect(parse({})).toEqual({ settings: { kind: 'local' } });
  });

  it('reads a MinIO bucket: endpoint, path style, region, both credentials', () => {
    expect(
      parse({
        STORAGE: 's3',
        S3_BUCKET: 'reelroom-media',
        S3_ENDPOINT: 'http://minio:9000',
        S3_FORCE_PATH_STYLE: '1',
        S3_ACCESS_KEY_ID: 'key',
        S3_SECRET_ACCESS_KEY: 'secret',
      }),
    ).toEqual({
      settings: {
        kind: 's3',
        bucket: 'reelroom-media',
        endpoint: 'http://minio:9000',
        region: 'us-east-1',
        credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
        forcePathStyle: true,
      },
    });
  });

  it("leaves AWS S3's endpoint and the SDK's credential chain when they are unset", () => {
    expect(parse({ STORAGE: 's3', S3_BUCKET: 'media.example', S3_REGION: 'eu-west-3', S3_FORCE_PATH_STYLE: 'false' })).toEqual({
      settings: {
        kind: 's3',
        bucket: 'media.example',
        endpoint: undefined,
        region: 'eu-west-3',
        credentials: undefined,
        forcePathStyle: false,
      },
    });
  });

  it('names every bad variable: no bucket with s3, one credential alone, a bad bucket name, endpoint or flag', () => {
    expect(parse({ STORAGE: 's3', S3_ACCESS_KEY_ID: 'key' }).problems).toEqual([
      'S3_BUCKET: is required when STORAGE=s3',
      'S3_SECRET_ACCESS_KEY: set both S3 credentials or neither',
    ]);
    expect(parse({ S3_SECRET_ACCESS_KEY: 'secret' }).problems).toEqual(['S3_ACCESS_KEY_ID: set both S3 credentials or neither']);
    const bad = parse({ STORAGE: 'nfs', S3_BUCKET: 'Bad_Bucket', S3_ENDPOINT: 'minio 9000', S3_FORCE_PATH_STYLE: 'yes' }).problems;
    expect(bad?.map((p) => p.split(':')[0])).toEqual(['STORAGE', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_FORCE_PATH_STYLE']);
  });
});
