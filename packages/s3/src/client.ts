import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Settings } from './settings.js';

/**
 * The options of every S3 client of Reelroom (the API's media store, tus's store, the URL signer, the
 * transcoder's storage). Checksums only where the service requires them: the SDK's default (a CRC32
 * trailer on every upload, `aws-chunked` bodies) is not understood by several S3-compatible servers, which
 * store the chunk framing as the object's bytes. ETag and TLS still guard the transfer.
 */
export function s3ClientConfig(s: S3Settings) {
  return {
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
    ...(s.endpoint !== undefined && { endpoint: s.endpoint }),
    ...(s.credentials !== undefined && { credentials: s.credentials }),
  } satisfies S3ClientConfig;
}

/** The one way the apps open an S3 client. */
export function createS3Client(s: S3Settings): S3Client {
  return new S3Client(s3ClientConfig(s));
}

/** A 404 from S3 (NoSuchKey on GET, NotFound on HEAD). */
export function isS3NotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
