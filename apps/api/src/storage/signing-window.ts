/**
 * Pure: when to date a presigned URL and for how long it works. URLs are signed at the start of the
 * current window (half the lifetime), not at the request's own time: every request for one object within
 * a window gets the same URL, so the browser's cache and a CDN keyed on the whole URL can reuse the
 * answer, and a URL handed out at any moment still has at least half its lifetime (`ttlSec / 2`) to run.
 */
export function signingWindow(nowMs: number, ttlSec: number): { signingDate: Date; expiresInSec: number } {
  const windowMs = Math.floor(ttlSec / 2) * 1000;
  return { signingDate: new Date(Math.floor(nowMs / windowMs) * windowMs), expiresInSec: ttlSec };
}

/**
 * Pure: a URL signed for the bucket endpoint, moved onto the public base (a CDN or proxy in front of the
 * bucket): the base's scheme, host and port, its path as a prefix, then the signed path and query as they
 * are. The signature covers the endpoint's Host, so the CDN must send the endpoint's Host to the bucket
 * (docs/OPERATIONS.md). No base: the URL as signed.
 */
export function onPublicBase(signedUrl: string, publicBaseUrl: string | undefined): string {
  if (!publicBaseUrl) return signedUrl;
  const signed = new URL(signedUrl);
  const base = new URL(publicBaseUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${signed.pathname}${signed.search}`;
}
