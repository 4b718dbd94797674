import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Where media lives (issue 10), read by both apps: spread into each app's env schema so the API and the
 * transcoders cannot disagree on a name or a default. `local`: MEDIA_ROOT, shared by every process (the
 * default, as before). `s3`: an S3-compatible bucket (AWS S3, MinIO, R2, Garage, Ceph RGW); MEDIA_ROOT is
 * then only each process's own scratch space (uploads arriving, ffmpeg's working files).
 */
export const storageEnvShape = {
  STORAGE: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 characters: a-z, 0-9, dots and dashes)')
    .optional(),
  // Unset: AWS S3's own endpoint for S3_REGION. MinIO and others: http(s)://host:port.
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  // Both or neither: unset, the SDK's default chain (instance role, web identity, ~/.aws) is used.
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Bucket in the path (http://host/bucket/key) rather than the host name: MinIO and most self-hosted servers.
  S3_FORCE_PATH_STYLE: bool.default(false),
};

type StorageEnv = z.infer<z.ZodObject<typeof storageEnvShape>>;

export interface S3Settings {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  /** Undefined: the SDK's default credential chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
}

export type StorageSettings = { kind: 'local' } | ({ kind: 's3' } & S3Settings);

/** For an app's superRefine: what is missing or inconsistent, as [variable, sentence] pairs. */
export function storageSettingsProblems(e: StorageEnv): Array<[keyof StorageEnv, string]> {
  const problems: Array<[keyof StorageEnv, string]> = [];
  if (e.STORAGE === 's3' && !e.S3_BUCKET) problems.push(['S3_BUCKET', 'is required when STORAGE=s3']);
  if (!e.S3_ACCESS_KEY_ID !== !e.S3_SECRET_ACCESS_KEY)
    problems.push([e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID', 'set both S3 credentials or neither']);
  return problems;
}

export function storageSettings(e: StorageEnv): StorageSettings {
  if (e.STORAGE === 'local' || !e.S3_BUCKET) return { kind: 'local' };
  return {
    kind: 's3',
    bucket: e.S3_BUCKET,
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    credentials:
      e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  };
}
