import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, screenshot, signUp } from '../support/browser.js';
import { freePort, startStack, type Stack } from '../support/stack.js';
import { providersEnv, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

/**
 * Issue 13, "Sign in with an existing account", in Chromium: "Continue with <provider>" on the sign-in
 * page, the provider's own sign-in and consent pages, and back signed in. The provider runs on
 * `localhost` and the app on 127.0.0.1: two sites, as in real life, so the way back is a cross-site
 * navigation (the flow cookie must survive it: SameSite=Lax) and the CSP must let the redirect go out.
 */
describe('sign-in with an OpenID Connect provider in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let idp: TestOidcProvider;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const idpPort = await freePort();
    const issuer = {
      issuer: `http://localhost:${idpPort}`,
      clientId: 'reelroom-test',
      clientSecret: 'reelroom-test-secret-0123456789abcdef',
    };
    [stack, browser] = await Promise.all([
      startStack({ transcoders: 0, env: { OIDC_PROVIDERS: providersEnv(issuer, 'Test ID') } }),
      launchBrowser(),
    ]);
    idp = await startOidcProvider({ port: idpPort, host: 'localhost', redirectUris: [`${stack.baseUrl}/api/auth/oidc/test/callback`] });
  });

  afterAll(async () => {
    await browser?.close();
    await idp?.stop();
    await stack?.stop();
  });

  /** The provider's development pages: a login (any password) and a consent. */
  async function signInAtProvider(page: import('playwright-core').Page, login: string) {
    await page.waitForURL((u) => u.origin === idp.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('clicks "Continue with Test ID", signs in at the provider and lands back signed in, where it was going', async () => {
    const { page, errors } = await openPage(await browser.newContext());
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    idp.accounts.set('ada', { email: `ada-${tag}@example.test`, email_verified: true, name: 'Ada Provider' });
    await page.goto(`${stack.baseUrl}/login?next=${encodeURIComponent('/account')}`);
    await screenshot(page, 'oidc-01-login');
    await page.getByRole('link', { name: 'Continue with Test ID' }).click();
    await signInAtProvider(page, 'ada');
    await page.waitForURL(`${stack.baseUrl}/account`);
    await eventually(() => page.getByTestId('current-user').textContent()).toBe('Ada Provider');
    await screenshot(page, 'oidc-02-signed-in');
    const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    expect(csp, errors.join('\n')).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    // An ordinary session: the account page lists it, and signing out works as for a password sign-in.
    await eventually(() => page.getByTestId('session').count()).toBe(1);
  });

  it('shows the refusal on the sign-in page when an unverified email matches an existing account', async () => {
    const owner = await openPage(await browser.newContext());
    await owner.page.goto(`${stack.baseUrl}/register`);
    await signUp(owner.page, { email: `owner-${tag}@example.test`, displayName: 'Owner', password: 'tangerine piano 42' });

    const { page } = await openPage(await browser.newContext());
    idp.accounts.set('mallory', { email: `owner-${tag}@example.test`, email_verified: false, name: 'Mallory' });
    await page.goto(`${stack.baseUrl}/login`);
    await page.getByRole('link', { name: 'Continue with Test ID' }).click();
    await signInAtProvider(page, 'mallory');
    await page.waitForURL((u) => u.origin === stack.baseUrl && u.pathname === '/login' && u.search === '');
    await page.getByRole('alert').filter({ hasText: 'Test ID has not verified the email address' }).waitFor();
    await screenshot(page, 'oidc-03-refused');
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    // Shown once: a reload shows the plain page. And no link can write its own sentence on the page.
    await page.reload();
    await page.getByRole('link', { name: 'Continue with Test ID' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.goto(`${stack.baseUrl}/login?signInError=${encodeURIComponent('Your account is locked, call 555-0100')}`);
    await page.getByRole('link', { name: 'Continue with Test ID' }).waitFor();
    expect(await page.getByText('call 555-0100').count()).toBe(0);
  });

  it('with PASSWORD_LOGIN=off, the sign-in and register pages offer only the providers', async () => {
    await stack.restartApi({ PASSWORD_LOGIN: 'off' });
    const { page } = await openPage(await browser.newContext());
    await page.goto(`${stack.baseUrl}/login`);
    await page.getByRole('link', { name: 'Continue with Test ID' }).waitFor();
    expect(await page.getByLabel('Email').count()).toBe(0);
    expect(await page.getByLabel('Password').count()).toBe(0);
    await screenshot(page, 'oidc-04-providers-only');
    await page.goto(`${stack.baseUrl}/register`);
    await page.getByRole('link', { name: 'Continue with Test ID' }).waitFor();
    expect(await page.getByLabel('Password').count()).toBe(0);
    // And the provider still signs people in.
    idp.accounts.set('grace', { email: `grace-${tag}@example.test`, email_verified: true, name: 'Grace Provider' });
    await page.getByRole('link', { name: 'Continue with Test ID' }).click();
    await signInAtProvider(page, 'grace');
    await eventually(() => page.getByTestId('current-user').textContent()).toBe('Grace Provider');
  });
});
