import { z } from 'zod';

/**
 * Pure: where to land in the web app after signing in with a provider. Only a same-origin path (the rule
 * of the web app's safeNext): never `//evil.example`, `/\evil.example`, `https://...` or control
 * characters; anything else lands on the home page.
 */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 1000) return '/';
  // eslint-disable-next-line no-control-regex -- a control character in a path is refused, not followed
  if (!next.startsWith('/') || next.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  return next;
}

/** GET /api/auth/oidc/:provider?next=<path>: an unsafe or missing `next` lands on "/" rather than refusing. */
export const oidcStartQuerySchema = z.object({ next: z.unknown().optional().transform(safeReturnPath) });
