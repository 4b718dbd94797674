import { describe, expect, it } from 'vitest';
import { oidcStartQuerySchema, safeReturnPath } from './return-path.js';

describe('safeReturnPath', () => {
  it('keeps same-origin paths with their query', () => {
    expect(safeReturnPath('/r/abc?x=1#y')).toBe('/r/abc?x=1#y');
    expect(safeReturnPath('/')).toBe('/');
  });

  it('lands anything that could leave the site, or is not a string, on the home page', () => {
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'r/abc',
      '/a\nb',
      '/a\\b',
      '',
      undefined,
      ['/a'],
      '/' + 'a'.repeat(1000),
    ]) {
      expect(safeReturnPath(bad), String(bad)).toBe('/');
    }
  });
});

describe('oidcStartQuerySchema', () => {
  it('turns a missing, repeated or unsafe `next` into "/", and keeps a safe one', () => {
    expect(oidcStartQuerySchema.parse({})).toEqual({ next: '/' });
    expect(oidcStartQuerySchema.parse({ next: ['/a', '/b'] })).toEqual({ next: '/' });
    expect(oidcStartQuerySchema.parse({ next: '//evil.example' })).toEqual({ next: '/' });
    expect(oidcStartQuerySchema.parse({ next: '/r/abc' })).toEqual({ next: '/r/abc' });
  });
});
