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

/** Tries at a whole-object read whose body was cut off (BODY_READ_ATTEMPTS in all). */
export const BODY_READ_ATTEMPTS = 3;

/**
 * Reads an object's body whole, opening it again when the body breaks off after the response began (a
 * socket reset, a server that closes early): the SDK retries a request that fails, not a body that stops
 * half-way, and a GET of a whole object (or a fixed range) is safe to repeat. What `open` itself throws
 * (a 404, an access error, the SDK's own retries spent) is thrown at once.
 */
export async function readWhole(open: () => Promise<AsyncIterable<Uint8Array>>): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    const body = await open();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      return Buffer.concat(chunks);
    } catch (err) {
      if (attempt >= BODY_READ_ATTEMPTS) throw err;
    }
  }
}
