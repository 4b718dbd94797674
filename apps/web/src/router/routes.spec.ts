import { describe, expect, it } from 'vitest';
import { matchRoute, safeNext } from './routes';

describe(matchRoute.name, () => {
  it('matches the four app routes, with or without a trailing slash', () => {
    expect(matchRoute('/')).toEqual({ name: 'home' });
    expect(matchRoute('/login/')).toEqual({ name: 'login' });
    expect(matchRoute('/register')).toEqual({ name: 'register' });
    expect(matchRoute('/account')).toEqual({ name: 'account' });
    expect(matchRoute('/admin')).toEqual({ name: 'admin' });
    expect(matchRoute('/forgot-password')).toEqual({ name: 'forgot-password' });
    expect(matchRoute('/reset-password')).toEqual({ name: 'reset-password' });
    expect(matchRoute('/r/abcdefghijklmnopqrstuv')).toEqual({ name: 'room', roomId: 'abcdefghijklmnopqrstuv' });
  });

  it('sends anything else to not-found', () => {
    expect(matchRoute('/r/')).toEqual({ name: 'not-found' });
    expect(matchRoute('/r/a/b')).toEqual({ name: 'not-found' });
    expect(matchRoute('/loginx')).toEqual({ name: 'not-found' });
  });
});

describe(safeNext.name, () => {
  it('follows a same-site path', () => {
    expect(safeNext('?next=%2Fr%2Fabc')).toBe('/r/abc');
  });

  it('refuses other origins and protocol-relative or backslash tricks', () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '']) {
      expect(safeNext(`?next=${encodeURIComponent(next)}`)).toBe('/');
    }
    expect(safeNext('')).toBe('/');
  });
});
