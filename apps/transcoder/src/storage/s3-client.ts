import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '@reelroom/contracts';

/**
 * The S3 client of the transcoder process.
 * Checksums only where the service requires them: the SDK's default (a CRC32 trailer on every upload,
 * `aws-chunked` bodies) is not understood by several S3-compatible servers, which store the chunk framing
 * as the object's bytes. ETag and TLS still guard the transfer.
 */
export function s3ClientConfig(s: S3Settings) {
  return {
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
    ...(s.endpoint !== undefined && { endpoint: s.endpoint }),
    ...(s.credentials !== undefined && { credentials: s.credentials }),
  };
}

export function createS3Client(s: S3Settings): S3Client {
  return new S3Client(s3ClientConfig(s));
}

/** A 404 from S3 (NoSuchKey on GET, NotFound on HEAD). */
export function isS3NotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
