import { describe, expect, it } from 'vitest';
import { routeLabel, statusClass } from './route-label.js';

describe('routeLabel', () => {
  it('uses the matched route template, whatever the raw URL was', () => {
    expect(routeLabel('/api/rooms/:id', '/api/rooms/abc')).toBe('/api/rooms/:id');
  });

  it('names the areas no Nest route handles with a fixed label, so raw URLs never become series', () => {
    expect(routeLabel(undefined, '/api/uploads/0123abcd')).toBe('/api/uploads/*');
    expect(routeLabel(undefined, '/media/1234/hls/master.m3u8')).toBe('/media/*');
    expect(routeLabel(undefined, '/socket.io/')).toBe('/socket.io');
    expect(routeLabel(undefined, '/admin/queues/api/queues')).toBe('/admin/queues/*');
    expect(routeLabel(undefined, '/api/made-up/999')).toBe('unmatched');
    expect(routeLabel(undefined, '/r/some-room')).toBe('web');
  });

  it('groups statuses by class', () => {
    expect(statusClass(204)).toBe('2xx');
    expect(statusClass(404)).toBe('4xx');
    expect(statusClass(503)).toBe('5xx');
  });
});
