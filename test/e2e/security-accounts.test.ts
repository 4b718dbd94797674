import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 9 in the browser: the register form says why a password is too easy before sending it, and the
 * account page lists where one is signed in and signs out everywhere, the open room included.
 */
describe('account security in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let laptop: PageWithTools;
  let phone: PageWithTools;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ transcoders: 0 }), launchBrowser()]);
    laptop = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    phone = await openPage(await browser.newContext({ viewport: { width: 400, height: 800 }, userAgent: 'Phone browser' }));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('tells a weak password while typing, and the server refuses a common one with a sentence', async () => {
    const { page } = laptop;
    await page.goto(`${stack.baseUrl}/register`);
    await page.getByLabel('Password').fill('aaaaaaaa');
    await page.getByText('That password is one character repeated').waitFor();
    await page.getByLabel('Email').fill(`weak-${tag}@example.test`);
    await page.getByLabel('Display name').fill('Weak');
    await page.getByLabel('Password').fill('Password123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'one of the most commonly used' }).waitFor();
  });

  it("lists both browsers on the account page and signs out everywhere, closing the other browser's room", async () => {
    const email = `two-${tag}@example.test`;
    const password = 'tangerine piano 42';
    await laptop.page.goto(`${stack.baseUrl}/register`);
    await signUp(laptop.page, { email, displayName: 'Two Browsers', password });
    await laptop.page.getByLabel('Room name').fill('Mine');
    await laptop.page.getByRole('button', { name: 'Create room' }).click();
    await laptop.page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    const roomUrl = laptop.page.url();

    await phone.page.goto(`${stack.baseUrl}/login`);
    await phone.page.getByLabel('Email').fill(email);
    await phone.page.getByLabel('Password').fill(password);
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => phone.page.getByTestId('current-user').textContent()).toBe('Two Browsers');
    await phone.page.goto(roomUrl);
    await eventually(() => phone.page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    await laptop.page.getByTestId('current-user').click();
    await laptop.page.waitForURL(/\/account$/);
    await eventually(() => laptop.page.getByTestId('session').count()).toBe(2);
    expect(await laptop.page.getByTestId('sessions').textContent()).toContain('Phone browser');
    await screenshot(laptop.page, 'security-01-sessions');
    await laptop.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await laptop.page.waitForURL(/\/login$/);
    // The phone's room socket was disconnected by the server, and its session is gone.
    await eventually(() => phone.page.getByTestId('live-state').getAttribute('data-state')).not.toBe('connected');
    const me = await phone.page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
  });
});
