import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { MediaUrlSigner } from './media-url-signer.js';
import { onPublicBase, signingWindow } from './signing-window.js';

export interface S3UrlSettings {
  bucket: string;
  ttlSec: number;
  /** A CDN or proxy in front of the bucket; undefined: the endpoint's own URLs. */
  publicBaseUrl: string | undefined;
}

/**
 * Presigned GETs (SigV4, query-string) of the media bucket. Signed with the time rounded down to a window
 * (signing-window.ts), so members asking for one segment within a window get one URL, which a CDN may
 * cache. The answer's Content-Type and Cache-Control are part of the signed URL (response-* overrides):
 * the bucket sends the type the API would have, and no cache may keep the bytes for longer than a URL
 * lives. Presigning is local (an HMAC, no request to the bucket).
 */
export class S3MediaUrlSigner extends MediaUrlSigner {
  private constructor(
    private readonly client: S3Client,
    private readonly settings: S3UrlSettings,
    readonly origin: string,
    private readonly now: () => number,
  ) {
    super();
  }

  /** Learns the URLs' origin by signing one (the SDK resolves the endpoint: S3_ENDPOINT or AWS's, path or host style). */
  static async create(client: S3Client, settings: S3UrlSettings, now: () => number = Date.now): Promise<S3MediaUrlSigner> {
    const probe = new S3MediaUrlSigner(client, settings, '', now);
    const origin = new URL(await probe.signedGet('origin-probe', 'application/octet-stream')).origin;
    return new S3MediaUrlSigner(client, settings, origin, now);
  }

  async signedGet(key: string, contentType: string): Promise<string> {
    const { signingDate, expiresInSec } = signingWindow(this.now(), this.settings.ttlSec);
    const command = new GetObjectCommand({
      Bucket: this.settings.bucket,
      Key: key,
      ResponseContentType: contentType,
      // Public: a CDN may share one URL's answer between members; no longer than the URL's own lifetime.
      ResponseCacheControl: `public, max-age=${expiresInSec}, immutable`,
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: expiresInSec, signingDate });
    return onPublicBase(url, this.settings.publicBaseUrl);
  }
}
