import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations } from '../support/axe.js';
import { eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { MailCatcher } from '../support/mail-catcher.js';
import { startStack, type Stack } from '../support/stack.js';

const DESK: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, bypassCSP: true };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true };

/**
 * Issue 12, account basics in Chromium: "Forgot password?" on the sign-in page, the mail caught by a real
 * SMTP server, its link followed on a phone, every session signed out; then the name and the password
 * changed on the account page, and an administrator's reset link.
 */
describe('account basics in the browser', () => {
  let stack: Stack;
  let mail: MailCatcher;
  let browser: Browser;
  let laptop: PageWithTools;
  let phone: PageWithTools;
  const tag = Date.now().toString(36);
  const adminEmail = `admin-${tag}@example.test`;
  const email = `reset-${tag}@example.test`;
  const password = 'tangerine piano 42';
  const newPassword = 'marble comet orchard';

  beforeAll(async () => {
    // ADMIN_EMAILS, not "the first account": the e2e files share one database, so another file may have made it.
    const admins = { ADMIN_EMAILS: adminEmail };
    [stack, browser, mail] = await Promise.all([startStack({ transcoders: 0, env: admins }), launchBrowser(), MailCatcher.start()]);
    await stack.restartApi({ ...admins, SMTP_URL: mail.url, PUBLIC_URL: stack.baseUrl });
    laptop = await openPage(await browser.newContext(DESK));
    phone = await openPage(await browser.newContext(PHONE));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await mail?.close();
  });

  it('resets a forgotten password through the mailed link, and signs out the other browser', async () => {
    // The administrator (ADMIN_EMAILS, used below) signs up first; the second forgets their password.
    await laptop.page.goto(`${stack.baseUrl}/register`);
    await signUp(laptop.page, { email: adminEmail, displayName: 'Ada Admin', password });
    const other = await openPage(await browser.newContext(DESK));
    await other.page.goto(`${stack.baseUrl}/register`);
    await signUp(other.page, { email, displayName: 'Remy', password });

    const { page } = phone;
    await page.goto(`${stack.baseUrl}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(/\/forgot-password$/);
    await page.getByLabel('Email').fill(email);
    await screenshot(page, 'account-01-forgot-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').filter({ hasText: 'If an account has this email' }).waitFor();

    const link = MailCatcher.linkIn(await mail.nth(email));
    expect(link).toMatch(new RegExp(`^${stack.baseUrl}/reset-password#token=`));
    await page.goto(link);
    await page.getByLabel('New password').waitFor();
    // The token leaves the address bar once read.
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('New password').fill('aaaaaaaa');
    await page.getByText('That password is one character repeated').waitFor();
    await page.getByLabel('New password').fill(newPassword);
    await screenshot(page, 'account-02-reset-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();

    // The browser that was signed in is signed out; the new password works, the old one not.
    expect(await other.page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    await page.getByRole('link', { name: 'Sign in with your new password' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.getByTestId('current-user').textContent()).toBe('Remy');
    await other.page.context().close();
  });

  it('changes the display name and the password on the account page', async () => {
    const { page } = laptop;
    await page.goto(`${stack.baseUrl}/account`);
    await page.getByLabel('Display name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Save name' }).click();
    await eventually(() => page.getByTestId('current-user').textContent()).toBe('Ada Lovelace');

    await page.getByLabel('Current password').fill('not it at all');
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your current password is not right.' }).waitFor();
    await page.getByLabel('Current password').fill(password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'account-03-account-desk');

    const mobile = await openPage(await browser.newContext({ ...PHONE, storageState: await page.context().storageState() }));
    await mobile.page.goto(`${stack.baseUrl}/account`);
    await mobile.page.getByLabel('Current password').waitFor();
    expect(await mobile.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(mobile.page, 'account-04-account-phone');
    await mobile.page.context().close();
  });

  it("lets an administrator hand over a reset link from the admin page, which sets the person's password", async () => {
    const { page } = laptop;
    await page.goto(`${stack.baseUrl}/admin`);
    await page.getByLabel('Email of the account').fill(email);
    await page.getByRole('button', { name: 'Create link' }).click();
    const link = await page.getByTestId('reset-link').inputValue();
    expect(link).toMatch(new RegExp(`^${stack.baseUrl}/reset-password#token=[A-Za-z0-9_-]{43}$`));
    await page.getByTestId('reset-link').scrollIntoViewIfNeeded();
    await screenshot(page, 'account-05-admin-link', { fullPage: false });

    const person = await openPage(await browser.newContext(DESK));
    await person.page.goto(link);
    await person.page.getByLabel('New password').fill('quiet meadow lantern');
    await person.page.getByRole('button', { name: 'Set new password' }).click();
    await person.page.getByRole('heading', { name: 'Password changed' }).waitFor();
    // The link is used up: opening it again (in the same tab: only the fragment changes) says so.
    await person.page.goto(link);
    await person.page.getByLabel('New password').waitFor();
    await person.page.getByLabel('New password').fill('another quiet phrase');
    await person.page.getByRole('button', { name: 'Set new password' }).click();
    await person.page.getByRole('alert').filter({ hasText: 'This reset link is not valid any more' }).waitFor();
    await person.page.context().close();
  });
});
