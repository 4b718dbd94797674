import type { NextFunction, Request, Response } from 'express';
import { CROSS_SITE_REFUSED, csrfRefused } from './origin-policy.js';

/**
 * Express middleware, mounted in main.ts before every route (uploads included): refuses with 403 a
 * state-changing request authenticated by the cookie that does not come from an allowed origin
 * (origin-policy.ts). SameSite=Lax stops other sites, not a same-site attacker (another port, a sibling
 * subdomain), so the check is made here, for every write.
 */
export function originGuard(allowedOrigins: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!csrfRefused(req.method, req.headers, allowedOrigins)) return next();
    res
      .status(403)
      .type('application/json')
      .set('Cache-Control', 'no-store')
      .send(JSON.stringify({ statusCode: 403, message: CROSS_SITE_REFUSED }));
  };
}
