import type { Request } from 'express';

/**
 * The URL people reach this instance at, without a trailing slash: PUBLIC_URL when configured, else the
 * scheme and host of this request (the proxy's scheme and the client's Host where TRUST_PROXY allows).
 * For addresses handed to other programs: an OIDC provider's redirect, OBS's WHIP server.
 */
export function publicBase(req: Request, publicUrl: string | undefined): string {
  return publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
