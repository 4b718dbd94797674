import type { NextFunction, Request, Response } from 'express';

/**
 * The Content-Security-Policy the web app runs under (checked in Chromium by test/e2e/csp.test.ts, which
 * plays a video and fails on any violation). Only our own scripts and styles; hls.js plays through Media
 * Source Extensions (blob: media URLs) and transmuxes in a worker it starts from a blob: URL; socket.io
 * connects to our own origin ('self' covers ws:/wss: to it); the favicon is a data: URL. No plugins, no
 * <base>, forms post only to us, and no site may frame the app (clickjacking). The one other script origin is
 * Google's CDN for the Cast sender SDK, loaded only when someone presses Cast (player/cast/cast-sender.ts).
 */
/** Where the Google Cast sender SDK and the framework it loads come from. */
export const CAST_SDK_ORIGIN = 'https://www.gstatic.com';

/**
 * The app's policy. `mediaOrigin`: where MEDIA_DELIVERY=signed redirects playback bytes (the bucket or its
 * CDN): hls.js fetches segments from it (connect-src), Safari's native HLS plays them (media-src), the poster
 * and seek-bar previews are images from it (img-src). A redirect's target must be allowed as well as the
 * URL asked for.
 */
export function contentSecurityPolicy(mediaOrigin: string | null = null): string {
  const media = mediaOrigin ? ` ${mediaOrigin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self' ${CAST_SDK_ORIGIN}`,
    "style-src 'self'",
    `img-src 'self' data: blob:${media}`,
    `media-src 'self' blob:${media}`,
    "worker-src 'self' blob:",
    `connect-src 'self'${media}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/**
 * Bull Board's page (/admin/queues, administrators only) sets <base href> to find its assets and uses
 * inline styles: on that path alone, base-uri 'self' and inline styles; scripts stay 'self' only.
 */
export const BULL_BOARD_CSP = CONTENT_SECURITY_POLICY.replace("base-uri 'none'", "base-uri 'self'")
  .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
  .replace(`script-src 'self' ${CAST_SDK_ORIGIN}`, "script-src 'self'");

/** The CSP for a path: the app's everywhere, Bull Board's under /admin/queues. */
export const cspFor = (path: string, appPolicy: string = CONTENT_SECURITY_POLICY) =>
  path === '/admin/queues' || path.startsWith('/admin/queues/') ? BULL_BOARD_CSP : appPolicy;

/** Pure: the headers every response carries. HSTS only when cookies are Secure (the site is on HTTPS). */
export function securityHeaders(secure: boolean, mediaOrigin: string | null = null): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(mediaOrigin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    // For browsers without frame-ancestors.
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (secure) headers['Strict-Transport-Security'] = 'max-age=31536000';
  return headers;
}

/** Express middleware setting securityHeaders() on every response: the app, the API, HLS files. */
export function securityHeadersMiddleware(secure: boolean, mediaOrigin: string | null = null) {
  const headers = securityHeaders(secure, mediaOrigin);
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set(headers);
    res.set('Content-Security-Policy', cspFor(req.path, headers['Content-Security-Policy']));
    next();
  };
}
