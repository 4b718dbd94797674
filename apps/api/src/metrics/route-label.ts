/**
 * The `route` label of an HTTP request: the route template Express matched (`/api/rooms/:id`), never the raw
 * URL, so the number of series stays bounded whatever clients send. Requests no Nest route handled get a
 * fixed name for the area they hit.
 */
export function routeLabel(matched: string | undefined, path: string): string {
  if (matched) return matched;
  if (path.startsWith('/api/uploads')) return '/api/uploads/*';
  if (path.startsWith('/media/')) return '/media/*';
  if (path.startsWith('/socket.io')) return '/socket.io';
  if (path.startsWith('/admin/queues')) return '/admin/queues/*';
  if (path.startsWith('/api/')) return 'unmatched';
  return 'web';
}

/** 2xx, 3xx, 4xx, 5xx: enough to see errors, without one series per status code. */
export const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;
