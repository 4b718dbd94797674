import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations } from '../support/axe.js';
import { eventually, joinAsGuest, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

const DESK: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, bypassCSP: true };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true };

// By the message's own text.
const messages = (page: Page, text: string) =>
  page.getByTestId('chat-message').filter({ has: page.locator('.chat-body', { hasText: text }) });

/**
 * Issue 12, chat in Chromium: mention autocomplete (keyboard, a listbox), links that open safely in a new
 * tab and only for http(s), the emoji picker, and editing one's own message with "edited" shown to all.
 */
describe('chat: mentions, links, emoji and edits', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let guest: PageWithTools;
  const tag = Date.now().toString(36);
  const hostName = `Marguerite${tag}`;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ transcoders: 0 }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a host signs up and opens a room; a guest joins it on a phone', async () => {
    host = await openPage(await browser.newContext(DESK));
    await host.page.goto(`${stack.baseUrl}/register`);
    await signUp(host.page, { email: `chat-${tag}@example.test`, displayName: hostName, password: 'correct horse battery' });
    await host.page.getByLabel('Room name').fill('Chatty');
    await host.page.getByRole('button', { name: 'Create room' }).click();
    await host.page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    guest = await openPage(await browser.newContext(PHONE));
    await guest.page.goto(host.page.url());
    await joinAsGuest(guest.page, { displayName: 'Gabriel' });
    await guest.page.getByTestId('current-user').filter({ hasText: 'Gabriel' }).waitFor();
    // The host's page knows Gabriel is here (the mention suggestions are the people present).
    await host.page.getByTestId('chat-message').filter({ hasText: 'Gabriel' }).first().waitFor();
  });

  it('suggests people present after @, picked with the keyboard, and highlights the mention for them', async () => {
    const input = guest.page.getByLabel('Message', { exact: true });
    await input.pressSequentially('hi @marg', { delay: 20 });
    const list = guest.page.getByRole('listbox', { name: 'People to mention' });
    await list.waitFor();
    expect(await list.getByRole('option').allTextContents()).toEqual([`@${hostName}`]);
    expect(await list.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'));
    expect(await seriousA11yViolations(guest.page)).toEqual([]);
    await screenshot(guest.page, 'chat-01-mention-phone', { fullPage: false });
    await input.press('Enter'); // picks, does not send
    expect(await input.inputValue()).toBe(`hi @${hostName} `);
    await list.waitFor({ state: 'detached' });
    await input.pressSequentially('look https://example.org/trailer?t=1). and javascript:alert(1)', { delay: 5 });

    // The emoji picker inserts at the caret; Escape closes it and gives focus back.
    await guest.page.getByRole('button', { name: 'Emoji' }).click();
    const grid = guest.page.getByRole('group', { name: 'Emoji' });
    await grid.waitFor();
    await guest.page.keyboard.press('Escape');
    await grid.waitFor({ state: 'detached' });
    await guest.page.getByRole('button', { name: 'Emoji' }).click();
    await guest.page.getByRole('button', { name: 'popcorn' }).click();
    await eventually(() => input.inputValue()).toMatch(/🍿$/);
    await input.press('Enter');
    await eventually(() => input.inputValue()).toBe('');

    const onHost = messages(host.page, 'look');
    await onHost.waitFor();
    expect(await onHost.getAttribute('data-mentioned')).toBe('true');
    expect(await onHost.getByTestId('mention').textContent()).toBe(`@${hostName}`);
    const links = onHost.locator('.chat-body a');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.org/trailer?t=1');
    expect(await links.first().getAttribute('target')).toBe('_blank');
    expect((await links.first().getAttribute('rel'))?.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer']));
    expect(await onHost.locator('.chat-body').textContent()).toBe(
      `hi @${hostName} look https://example.org/trailer?t=1). and javascript:alert(1)🍿`,
    );
    await screenshot(host.page, 'chat-02-links-desk', { fullPage: false });
  });

  it('lets the author edit their message: everyone sees the new text marked "edited"', async () => {
    await messages(guest.page, 'look')
      .getByRole('button', { name: /^Edit Gabriel/ })
      .click();
    const box = guest.page.getByLabel('Edit your message');
    await box.fill('see https://example.org/poster instead');
    await box.press('Enter');
    const onHost = messages(host.page, 'instead');
    await onHost.waitFor();
    expect(await onHost.locator('.chat-edited').textContent()).toContain('(edited)');
    expect(await onHost.locator('.chat-body a').getAttribute('href')).toBe('https://example.org/poster');
    // Nobody else gets an Edit button for it, not even the host.
    expect(await onHost.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    await screenshot(guest.page, 'chat-03-edited-phone', { fullPage: false });
    expect(await guest.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // The author deletes it; it stays deleted for everyone.
    await messages(guest.page, 'instead')
      .getByRole('button', { name: /^Delete Gabriel/ })
      .click();
    await eventually(() => host.page.getByText('Message deleted.').count()).toBe(1);
  });
});
