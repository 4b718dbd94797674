/**
 * Hands out URLs from which the bucket (or a CDN in front of it) sends an object's bytes to whoever holds
 * the URL, until it expires (MEDIA_DELIVERY=signed). Callers decide who may have one: the HLS route gives
 * one only after the same membership check as for streaming the bytes itself.
 */
export abstract class MediaUrlSigner {
  /** The origin the URLs point to (for the Content-Security-Policy); null when no URLs are handed out. */
  abstract readonly origin: string | null;
  /** A URL for a GET of `key`, answered with `contentType`; null: serve the bytes through the API. */
  abstract signedGet(key: string, contentType: string): Promise<string | null>;
}

/** MEDIA_DELIVERY=api (the default): no URLs, the API streams every file. */
export class NoMediaUrlSigner extends MediaUrlSigner {
  readonly origin = null;
  signedGet(): Promise<null> {
    return Promise.resolve(null);
  }
}
