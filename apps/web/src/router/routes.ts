/** Pure route matching, kept apart from the React side so it unit-tests without a DOM. */
export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'account' }
  | { name: 'forgot-password' }
  | { name: 'reset-password' }
  | { name: 'admin' }
  | { name: 'room'; roomId: string }
  | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  if (path === '/login') return { name: 'login' };
  if (path === '/register') return { name: 'register' };
  if (path === '/account') return { name: 'account' };
  if (path === '/forgot-password') return { name: 'forgot-password' };
  if (path === '/reset-password') return { name: 'reset-password' };
  if (path === '/admin') return { name: 'admin' };
  const room = /^\/r\/([^/]+)$/.exec(path);
  if (room) return { name: 'room', roomId: decodeURIComponent(room[1]) };
  return { name: 'not-found' };
}

/** Only same-site relative paths are followed after sign-in, never `//evil.example` or `https://...`. */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')) return next;
  return '/';
}
