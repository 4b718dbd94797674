/**
 * Pure: where to land in the web app after signing in with a provider. Only a same-origin path (the same
 * rule as the web app's safeNext): never `//evil.example`, `/\evil.example`, `https://...` or control
 * characters; anything else lands on the home page.
 */
export function safeReturnTo(next: unknown): string {
  if (typeof next !== 'string' || next.length > 1000) return '/';
  // eslint-disable-next-line no-control-regex
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  return next;
}
