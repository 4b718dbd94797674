import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, SIGN_IN_ERROR_COOKIE, type AuthOptions, type SessionView, type UserView } from '@reelroom/contracts';
import { freePort, startStack, type Stack } from '../support/stack.js';
import { ApiClient, bodyOf, errorOf } from '../support/api-client.js';
import { providersEnv, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { RedirectClient } from '../support/redirect-client.js';
import { throughProvider } from '../support/oidc-sign-in.js';

// Issue 13, "Sign in with an existing account": the authorization code flow through HTTP against a real
// OpenID Provider on loopback, every redirect followed by hand, and the checks (state, nonce, the
// browser's own flow, the verified-email rule) attacked one by one.

let stack: Stack;
let idp: TestOidcProvider;
let callbackPrefix: string;
const tag = Date.now().toString(36);
const email = (who: string) => `${who}-${tag}@example.test`;

beforeAll(async () => {
  const idpPort = await freePort();
  const issuer = {
    issuer: `http://127.0.0.1:${idpPort}`,
    clientId: 'reelroom-test',
    clientSecret: 'reelroom-test-secret-0123456789abcdef',
  };
  stack = await startStack({ web: false, transcoders: 0, env: { OIDC_PROVIDERS: providersEnv(issuer) } });
  callbackPrefix = `${stack.baseUrl}/api/auth/oidc/test/callback`;
  idp = await startOidcProvider({ port: idpPort, redirectUris: [callbackPrefix] });
});

afterAll(async () => {
  await idp?.stop();
  await stack?.stop();
});

/** Starts a sign-in in `browser`: the API's redirect to the provider. */
async function start(browser: RedirectClient, next?: string): Promise<URL> {
  const startUrl = `${stack.baseUrl}/api/auth/oidc/test${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`;
  const res = await browser.request(startUrl);
  expect(res.status).toBe(302);
  expect(browser.cookie(stack.baseUrl, 'reelroom_oidc')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return new URL(RedirectClient.location(res, startUrl));
}

/** The whole sign-in in one browser; returns the callback's answer (a redirect) and the browser. */
async function signIn(login: string, next?: string) {
  const browser = new RedirectClient();
  const authUrl = await start(browser, next);
  const callback = await throughProvider(browser, authUrl.href, login, callbackPrefix);
  const res = await browser.request(callback);
  return { res, browser, location: RedirectClient.location(res, callback) };
}

const sessionOf = (browser: RedirectClient) => browser.cookie(stack.baseUrl, SESSION_COOKIE);
const meOf = async (browser: RedirectClient) => bodyOf<UserView>(await browser.request(`${stack.baseUrl}/api/auth/me`));
/**
 * A refused sign-in: back to /login, the sentence in a one-minute cookie for the sign-in page only (never
 * in the URL, where anyone could write their own sentence on our page). Returns the sentence.
 */
const refusal = (res: Response, from: string) => {
  const url = new URL(RedirectClient.location(res, from));
  expect(url.pathname).toBe('/login');
  expect(url.searchParams.has('signInError')).toBe(false);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SIGN_IN_ERROR_COOKIE}=`)) ?? '';
  expect(cookie).toMatch(/; Max-Age=60; Path=\/login;/);
  expect(cookie).not.toMatch(/HttpOnly/i);
  return decodeURIComponent(cookie.slice(SIGN_IN_ERROR_COOKIE.length + 1).split(';')[0]);
};

describe('sign-in with an OpenID Connect provider', () => {
  it('lists the configured providers, and how one may sign in', async () => {
    expect(await bodyOf(await fetch(`${stack.baseUrl}/api/auth/providers`))).toEqual([{ id: 'test', name: 'Test ID' }]);
    expect(await bodyOf<AuthOptions>(await fetch(`${stack.baseUrl}/api/auth/options`))).toEqual({
      password: true,
      providers: [{ id: 'test', name: 'Test ID' }],
      // No SMTP_URL in the test stack: forgotten passwords are reset by an administrator's link.
      passwordReset: 'admin',
    });
    const unknown = await fetch(`${stack.baseUrl}/api/auth/oidc/nope`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).message).toBe('There is no sign-in provider with this name.');
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, and the registered callback', async () => {
    const url = await start(new RedirectClient());
    expect(url.origin).toBe(idp.issuer);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(idp.clientId);
    expect(q.get('redirect_uri')).toBe(callbackPrefix);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
  });

  it('creates an account on first sign-in (verified email), with the same kind of session as a password sign-in', async () => {
    idp.accounts.set('new-person', { email: email('new'), email_verified: true, name: 'New Person' });
    const { res, browser, location } = await signIn('new-person', '/r/abcdefghijklmnopqrstuv?t=1');
    expect(res.status).toBe(302);
    expect(location).toBe(`${stack.baseUrl}/r/abcdefghijklmnopqrstuv?t=1`);
    expect(res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/HttpOnly/i);
    expect(browser.cookie(stack.baseUrl, 'reelroom_oidc')).toBeUndefined();
    const me = await meOf(browser);
    expect(me).toMatchObject({ email: email('new'), displayName: 'New Person', isGuest: false });

    // The session is an ordinary one: listed, usable as a Bearer token, and signed out like any other.
    const api = new ApiClient(stack.baseUrl, sessionOf(browser));
    const sessions = await api.json<SessionView[]>('GET', '/api/auth/sessions');
    expect(sessions).toHaveLength(1);
    expect((await api.createRoom('From a provider')).name).toBe('From a provider');

    // Signing in again with the same provider account lands in the same account (linked by subject).
    idp.accounts.set('new-person', { email: email('new-changed'), email_verified: true, name: 'Renamed' });
    const again = await signIn('new-person');
    expect(again.location).toBe(`${stack.baseUrl}/`);
    expect((await meOf(again.browser)).id).toBe(me.id);
  });

  it('links a verified email to the existing password account, and the password keeps working', async () => {
    const owner = new ApiClient(stack.baseUrl);
    const registered = await owner.register(email('linked'), 'Password Person');
    idp.accounts.set('linked-person', { email: email('linked').toUpperCase(), email_verified: true, name: 'Other Name' });
    const { browser } = await signIn('linked-person');
    expect(await meOf(browser)).toMatchObject(registered.user); // the same account (and isAdmin, which register does not answer)
    const login = await fetch(`${stack.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: email('linked'), password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
  });

  it('refuses an unverified email that matches an existing account, and creates nothing for one that does not', async () => {
    const victim = new ApiClient(stack.baseUrl);
    await victim.register(email('victim'), 'Victim');
    idp.accounts.set('attacker', { email: email('victim'), email_verified: false, name: 'Attacker' });
    const taken = await signIn('attacker');
    expect(refusal(taken.res, callbackPrefix)).toBe(
      `Test ID has not verified the email address ${email('victim')}, so it cannot sign in to the account with that address. Sign in with your password, or verify the address at Test ID first.`,
    );
    expect(sessionOf(taken.browser)).toBeUndefined();
    // Nothing was linked either: the same provider account still gets no way in.
    expect(sessionOf((await signIn('attacker')).browser)).toBeUndefined();

    idp.accounts.set('unverified-new', { email: email('unverified-new'), name: 'Unverified' });
    const fresh = await signIn('unverified-new');
    expect(refusal(fresh.res, callbackPrefix)).toContain('did not give a verified email address, so no account can be made from it');
    expect(sessionOf(fresh.browser)).toBeUndefined();
    // No account holds the address: its owner can still register it with a password.
    await new ApiClient(stack.baseUrl).register(email('unverified-new'), 'Real Owner');
  });

  it('refuses a callback whose state was changed, and the sign-in cannot be finished afterwards', async () => {
    const browser = new RedirectClient();
    const callback = new URL(await throughProvider(browser, (await start(browser)).href, 'state-person', callbackPrefix));
    const original = callback.href;
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const res = await browser.request(callback.href);
    expect(refusal(res, callback.href)).toBe('The answer from Test ID did not match this sign-in, so it was refused. Please start again.');
    expect(sessionOf(browser)).toBeUndefined();
    // The flow was used up by the refused attempt: the genuine answer, replayed, finds nothing.
    browser.setCookie(stack.baseUrl, 'reelroom_oidc', 'A'.repeat(43));
    const replay = await browser.request(original);
    expect(refusal(replay, original)).toContain('has expired or was started in another browser');
    expect(sessionOf(browser)).toBeUndefined();
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const browser = new RedirectClient();
    const authUrl = await start(browser);
    authUrl.searchParams.set('nonce', 'a-nonce-chosen-by-someone-else-0123456789');
    const callback = await throughProvider(browser, authUrl.href, 'nonce-person', callbackPrefix);
    const res = await browser.request(callback);
    expect(refusal(res, callback)).toBe('The answer from Test ID did not match this sign-in, so it was refused. Please start again.');
    expect(sessionOf(browser)).toBeUndefined();
  });

  it('refuses an answer brought by another browser (login CSRF), and keeps the start browser able to finish', async () => {
    const mine = new RedirectClient();
    const callback = await throughProvider(mine, (await start(mine)).href, 'csrf-person', callbackPrefix);
    const victim = new RedirectClient();
    const res = await victim.request(callback);
    expect(refusal(res, callback)).toBe('This sign-in with Test ID has expired or was started in another browser. Please start again.');
    expect(sessionOf(victim)).toBeUndefined();
    const ok = await mine.request(callback);
    expect(RedirectClient.location(ok, callback)).toBe(`${stack.baseUrl}/`);
    expect(sessionOf(mine)).toBeDefined();
  });

  it('never redirects off-site after sign-in, whatever `next` says', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const { location } = await signIn('next-person', next);
      expect(location).toBe(`${stack.baseUrl}/`);
    }
  });

  it('answers the provider declining with a sentence on the sign-in page', async () => {
    const browser = new RedirectClient();
    const authUrl = await start(browser);
    const callback = new URL(callbackPrefix);
    callback.searchParams.set('error', 'access_denied');
    callback.searchParams.set('state', authUrl.searchParams.get('state') ?? '');
    callback.searchParams.set('iss', idp.issuer);
    const res = await browser.request(callback.href);
    expect(refusal(res, callback.href)).toBe('Test ID did not sign you in (the sign-in was cancelled or refused there).');
  });
});

describe('operator settings', () => {
  it('lists no providers when none are configured', async () => {
    const api = await stack.startSecondApi({ OIDC_PROVIDERS: '' });
    expect(await bodyOf(await fetch(`${api.baseUrl}/api/auth/providers`))).toEqual([]);
    expect(await bodyOf(await fetch(`${api.baseUrl}/api/auth/options`))).toEqual({ password: true, providers: [], passwordReset: 'admin' });
  });

  it('sets the flow cookie httpOnly, Secure on HTTPS, Lax and only for the OIDC routes; limits starts; says when a provider is down', async () => {
    const deadPort = await freePort();
    const providers = JSON.parse(providersEnv(idp)) as object[];
    providers.push({ id: 'down', name: 'Down ID', issuer: `http://127.0.0.1:${deadPort}`, clientId: 'c', clientSecret: 's' });
    const api = await stack.startSecondApi({
      OIDC_PROVIDERS: JSON.stringify(providers),
      COOKIE_SECURE: 'true',
      OIDC_STARTS_PER_ADDRESS_PER_HOUR: '2',
      // The limit is per client address and all tests come from 127.0.0.1: this one is another client.
      TRUST_PROXY: 'loopback',
    });
    const from = { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250) + 1}` };
    const first = await fetch(`${api.baseUrl}/api/auth/oidc/test`, { redirect: 'manual', headers: from });
    expect(first.status).toBe(302);
    const flowCookie = first.headers.getSetCookie().find((c) => c.startsWith('reelroom_oidc='));
    expect(flowCookie).toMatch(/; Max-Age=600;/);
    expect(flowCookie).toMatch(/; Path=\/api\/auth\/oidc;/);
    expect(flowCookie).toMatch(/; HttpOnly/);
    expect(flowCookie).toMatch(/; Secure/);
    expect(flowCookie).toMatch(/; SameSite=Lax/);
    expect(first.headers.get('cache-control')).toBe('no-store');

    const down = await fetch(`${api.baseUrl}/api/auth/oidc/down?next=/account`, { redirect: 'manual', headers: from });
    const downAt = new URL(RedirectClient.location(down, api.baseUrl));
    expect(downAt.searchParams.get('next')).toBe('/account');
    expect(refusal(down, api.baseUrl)).toBe('Down ID cannot be reached right now. Try again in a moment.');
    expect(down.headers.getSetCookie().some((c) => c.startsWith('reelroom_oidc='))).toBe(false);

    const limited = await fetch(`${api.baseUrl}/api/auth/oidc/test`, { redirect: 'manual', headers: from });
    expect(refusal(limited, api.baseUrl)).toMatch(/^Too many attempts, try again in \d+ minutes?\.$/);
  });

  it('PASSWORD_LOGIN=off refuses password sign-in and registration with a sentence, and says so in the options', async () => {
    const api = await stack.startSecondApi({ PASSWORD_LOGIN: 'off' });
    expect(await bodyOf(await fetch(`${api.baseUrl}/api/auth/options`))).toEqual({
      password: false,
      providers: [{ id: 'test', name: 'Test ID' }],
      passwordReset: 'admin',
    });
    for (const path of ['/api/auth/login', '/api/auth/register']) {
      const res = await fetch(`${api.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: email('linked'), password: 'correct horse battery', displayName: 'X' }),
      });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).message).toBe(
        'Password sign-in is turned off on this server. Continue with one of the sign-in providers instead.',
      );
    }
  });
});
