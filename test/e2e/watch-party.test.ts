import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlVideo,
  eventually,
  joinAsGuest,
  launchBrowser,
  openPage,
  screenshot,
  signUp,
  videoState,
  type PageWithTools,
} from '../support/browser.js';
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The watch party in real Chromium against the real stack: a host and two guests who join by link and
 * PIN, watch in sync (play, pause, seek, speed), chat (reactions, replies, mentions), and are kicked or
 * see the room closed.
 */

const READY_TIMEOUT = 120_000;
// The link is right (the join page previewed the room), so a refused PIN is called a wrong PIN.
const WRONG_PIN = 'Wrong PIN.';
const PIN = '482913';

// By the message's own text: a reply's quote repeats the text it answers.
const messages = (page: Page, text: string) =>
  page.getByTestId('chat-message').filter({ has: page.locator('.chat-body', { hasText: text }) });

async function sendChat(page: Page, text: string) {
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(text);
  await input.press('Enter');
  await eventually(() => input.inputValue()).toBe('');
}

describe('a watch party with a host and two guests', () => {
  let stack: Stack;
  let browser: Browser;
  let host: PageWithTools;
  let guest1: PageWithTools;
  let guest2: PageWithTools;
  let roomUrl = '';
  let clip: Buffer;
  const tag = Date.now().toString(36);
  const hostName = `Hana${tag}`;

  const dump = () => [host, guest1, guest2].flatMap((p, i) => (p ? p.errors.map((e) => `[${i}] ${e}`) : [])).join('\n');

  beforeAll(async () => {
    const [s, b, file] = await Promise.all([
      startStack(),
      launchBrowser(),
      makeClip({ seconds: 30, width: 640, height: 360, audio: true }),
    ]);
    stack = s;
    browser = b;
    clip = await readFile(file);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the host signs up, creates a room with a PIN and uploads a clip', async () => {
    host = await openPage(await browser.newContext({ viewport: { width: 1400, height: 1000 } }));
    const { page } = host;
    await page.goto(stack.baseUrl + '/register');
    await signUp(page, { email: `hana-${tag}@example.test`, displayName: hostName, password: 'correct horse battery' });
    await page.getByLabel('Room name').fill('Party night');
    await page.getByLabel('PIN (optional)').fill(PIN);
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    roomUrl = page.url();
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    // A generous wait: the buffer travels over the protocol, slow on a busy box.
    await page.getByLabel('Video file').setInputFiles({ name: 'party-clip.mp4', mimeType: 'video/mp4', buffer: clip }, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'party-clip.mp4' })
      .waitFor({ timeout: READY_TIMEOUT });
    await page.getByTestId('media-item').filter({ hasText: 'party-clip.mp4' }).locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    await screenshot(page, 'party-01-host-room');
  });

  it('refuses a wrong PIN, then lets the guest in with the right one', async () => {
    guest1 = await openPage(await browser.newContext({ viewport: { width: 1400, height: 1000 } }));
    const { page } = guest1;
    await page.goto(roomUrl);
    await page.getByRole('heading', { name: 'Join this room' }).waitFor();
    await joinAsGuest(page, { displayName: 'Guest One', pin: '0000' });
    await eventually(() => page.getByRole('alert').filter({ hasText: WRONG_PIN }).isVisible()).toBe(true);
    await screenshot(page, 'party-02-wrong-pin');

    await joinAsGuest(page, { displayName: 'Guest One', pin: PIN });
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Party night');
    await eventually(() => page.getByTestId('current-user').textContent()).toBe('Guest One');
    // Guests watch and chat; uploading needs an account.
    expect(await page.getByLabel('Video file').count()).toBe(0);
    await page.getByText('Create an account to upload').waitFor();

    guest2 = await openPage(await browser.newContext({ viewport: { width: 1400, height: 1000 } }));
    await guest2.page.goto(roomUrl);
    await joinAsGuest(guest2.page, { displayName: 'Guest Two', pin: PIN });
    await eventually(() => guest2.page.getByRole('heading', { level: 1 }).textContent()).toBe('Party night');
  });

  it('shows all three people in the presence list, with roles and guest badges', async () => {
    for (const { page } of [host, guest1, guest2]) {
      await eventually(() => page.getByTestId('person').count()).toBe(3);
    }
    const people = host.page.getByTestId('person');
    expect(await people.first().textContent()).toContain(hostName);
    expect(await people.first().getAttribute('data-role')).toBe('host');
    expect(await people.filter({ hasText: 'Guest One' }).textContent()).toContain('guest');
    await screenshot(host.page, 'party-03-presence');
  });

  it('plays, pauses, seeks and changes speed for everyone when the host does', async () => {
    // The guests open the same video (the room's media follows the host once sync selects it).
    for (const { page } of [guest1, guest2]) {
      const appeared = await page
        .getByTestId('player')
        .waitFor({ timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (!appeared) await page.getByTestId('media-item').filter({ hasText: 'party-clip.mp4' }).locator('button.media-row').click();
      await page.getByTestId('player').waitFor();
    }
    await controlVideo(host.page, { play: true });
    for (const { page } of [guest1, guest2]) {
      await eventually(async () => {
        const v = await videoState(page);
        return v !== null && !v.paused && v.currentTime > 1;
      }).toBe(true);
    }
    const [h, g1, g2] = await Promise.all([host, guest1, guest2].map((p) => videoState(p.page)));
    expect(Math.abs(g1!.currentTime - h!.currentTime), dump()).toBeLessThan(1);
    expect(Math.abs(g2!.currentTime - h!.currentTime), dump()).toBeLessThan(1);
    await screenshot(guest1.page, 'party-04-guest-playing');

    await controlVideo(host.page, { pause: true });
    for (const { page } of [guest1, guest2]) await eventually(async () => (await videoState(page))?.paused).toBe(true);

    await controlVideo(host.page, { seek: 20 });
    for (const { page } of [guest1, guest2]) {
      await eventually(async () => Math.abs(((await videoState(page))?.currentTime ?? 0) - 20) < 1).toBe(true);
    }

    await controlVideo(host.page, { rate: 1.5, play: true });
    for (const { page } of [guest1, guest2]) {
      // The engine may nudge the rate a few percent around the room's rate to correct drift.
      await eventually(async () => Math.abs(((await videoState(page))?.playbackRate ?? 1) - 1.5) < 0.1).toBe(true);
    }
    await controlVideo(host.page, { pause: true });
    await screenshot(guest2.page, 'party-05-guest-synced');
  });

  it('chats: a message reaches everyone, gets a reaction and a reply, and a mention is highlighted', async () => {
    await guest1.page.getByLabel('Message', { exact: true }).pressSequentially('Hello', { delay: 30 });
    await eventually(() => host.page.getByText('Guest One is typing…').isVisible()).toBe(true);
    await guest1.page.getByLabel('Message', { exact: true }).fill('');
    await sendChat(guest1.page, 'Hello everyone <b>not bold</b>');
    const onGuest2 = messages(guest2.page, 'Hello everyone');
    await onGuest2.waitFor();
    // Rendered as text: the tags show as typed, no <b> element was created.
    expect(await onGuest2.locator('.chat-body').textContent()).toBe('Hello everyone <b>not bold</b>');
    expect(await onGuest2.locator('b').count()).toBe(0);

    await onGuest2.getByRole('button', { name: 'React to Guest One: “Hello everyone' }).click();
    await onGuest2.getByRole('button', { name: 'React with 👍' }).click();
    const chip = messages(host.page, 'Hello everyone').locator('button.reaction', { hasText: '👍' });
    await eventually(() => chip.textContent()).toBe('👍 1');
    expect(await chip.getAttribute('title')).toContain('Guest Two');

    await messages(host.page, 'Hello everyone').getByRole('button', { name: 'Reply' }).click();
    await host.page.getByTestId('reply-preview').waitFor();
    await sendChat(host.page, 'Welcome, both of you');
    const reply = messages(guest1.page, 'Welcome, both of you');
    await reply.waitFor();
    expect(await reply.getByTestId('chat-quote').textContent()).toContain('Hello everyone');

    await sendChat(guest1.page, `thanks @${hostName.toLowerCase()}!`);
    const mention = messages(host.page, 'thanks @');
    await mention.waitFor();
    expect(await mention.getAttribute('data-mentioned')).toBe('true');
    expect(await messages(host.page, 'Hello everyone').getAttribute('data-mentioned')).toBe('false');
    await screenshot(host.page, 'party-06-chat-host');
    await screenshot(guest2.page, 'party-07-chat-guest2');
  });

  it('the host kicks guest 2, who sees why', async () => {
    await host.page.getByRole('button', { name: 'Kick Guest Two' }).click();
    await host.page.getByRole('alertdialog', { name: 'Kick Guest Two?' }).getByRole('button', { name: 'Kick' }).click();
    await guest2.page.getByRole('heading', { name: 'You were removed from this room' }).waitFor();
    await eventually(() => host.page.getByTestId('person').count()).toBe(2);
    await screenshot(guest2.page, 'party-08-kicked');
  });

  it('the host closes the room and guest 1 sees it closed', async () => {
    await host.page.getByRole('button', { name: 'Room settings' }).click();
    await screenshot(host.page, 'party-09-settings');
    await host.page.getByRole('button', { name: 'Close room', exact: true }).click();
    await host.page.getByRole('button', { name: 'Close room for everyone' }).click();
    await guest1.page.getByRole('heading', { name: 'This room was closed by the host' }).waitFor();
    await host.page.getByRole('heading', { name: 'This room was closed by the host' }).waitFor();
    await screenshot(guest1.page, 'party-10-closed');
    // A closed room cannot be rejoined.
    await guest1.page.reload();
    await guest1.page.getByRole('heading', { name: 'This room was closed by the host' }).waitFor();
    expect(
      dump()
        .split('\n')
        .filter((l) => l.includes('pageerror')),
    ).toEqual([]);
  });
});
