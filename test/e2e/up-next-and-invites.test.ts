import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '@reelroom/contracts';
import { eventually, joinAsGuest, launchBrowser, openPage, screenshot, videoState, type PageWithTools } from '../support/browser.js';
import { seriousA11yViolations } from '../support/axe.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 12 in real Chromium: "Up next" plays two items one after the other in two pages, in sync; join by
 * code from the home page; an invite link that carries the PIN in its fragment; the QR code of the link.
 */

// bypassCSP: axe is injected as a script tag (test/support/axe.ts); the app's CSP would refuse it.
const DESK = { viewport: { width: 1280, height: 800 }, bypassCSP: true };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true };
const PIN = '602214';

let stack: Stack;
let browser: Browser;
const pages: PageWithTools[] = [];
const dump = () => pages.flatMap((p, i) => p.errors.map((e) => `[${i}] ${e}`)).join('\n');

async function open(context: Parameters<Browser['newContext']>[0]): Promise<Page> {
  const p = await openPage(await browser.newContext(context));
  pages.push(p);
  return p.page;
}

async function signIn(page: Page, email: string) {
  await page.goto(stack.baseUrl + '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').waitFor();
}

/** Which item the room plays in this page (the media list marks it). */
const playingId = (page: Page) => page.locator('[data-testid="media-item"].selected').getAttribute('data-media-id');

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('Up next', () => {
  const email = `queue-${Date.now().toString(36)}@example.test`;
  let room: RoomView;
  let host: Page;
  let guest: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const api = new ApiClient(stack.baseUrl);
    await api.register(email, 'Quinn');
    room = await api.createRoom('Double feature');
    // Long enough for both pages to be seen playing the first before it ends, on a loaded machine.
    const clip = await makeClip({ seconds: 10, width: 320, height: 180 });
    for (const name of ['first.mp4', 'second.mp4']) ids[name] = (await api.upload(room.id, clip, name)).id;
    for (const id of Object.values(ids)) expect((await api.waitForMedia(id)).status).toBe('ready');
  });

  it('the host queues two videos; a guest on a phone sees the list', async () => {
    host = await open(DESK);
    await signIn(host, email);
    await host.goto(`${stack.baseUrl}/r/${room.id}`);
    const panel = host.getByTestId('up-next');
    for (const name of ['first.mp4', 'second.mp4']) {
      await panel.getByLabel('Video to add to Up next').selectOption({ label: name });
      await panel.getByRole('button', { name: 'Add to Up next' }).click();
    }
    await eventually(() => panel.getByTestId('up-next-item').allTextContents()).toEqual([
      expect.stringContaining('first.mp4'),
      expect.stringContaining('second.mp4'),
    ]);
    // Reorder and back: the buttons say which item they move.
    await panel.getByRole('button', { name: 'Move second.mp4 up' }).click();
    await eventually(() => panel.getByTestId('up-next-item').first().textContent()).toContain('second.mp4');
    await panel.getByRole('button', { name: 'Move second.mp4 down' }).click();
    await eventually(() => panel.getByTestId('up-next-item').first().textContent()).toContain('first.mp4');

    guest = await open(PHONE);
    await guest.goto(`${stack.baseUrl}/r/${room.id}`);
    await joinAsGuest(guest, { displayName: 'Pip' });
    await eventually(() => guest.getByRole('heading', { level: 1 }).textContent()).toBe('Double feature');
    await guest.getByRole('tab', { name: 'Videos' }).click();
    const guestPanel = guest.getByTestId('up-next');
    await eventually(() => guestPanel.getByTestId('up-next-item').count()).toBe(2);
    // A viewer neither adds nor reorders where the host did not open the queue.
    expect(await guestPanel.getByRole('button', { name: 'Add to Up next' }).count()).toBe(0);
    expect(await guestPanel.getByRole('button', { name: /^Move / }).count()).toBe(0);
    await screenshot(host, 'up-next-01-desk');
    await screenshot(guest, 'up-next-02-phone');
  });

  it('plays the two items one after the other in both pages, in sync', async () => {
    await host.getByTestId('up-next').getByRole('button', { name: 'Play next' }).click();
    // Both pages at once: each is polled while the other loads its player.
    await Promise.all(
      [host, guest].map(async (page) => {
        await eventually(() => playingId(page), 30_000).toBe(ids['first.mp4']);
        await eventually(async () => (await videoState(page))?.paused === false, 30_000).toBe(true);
      }),
    );
    // No one touches anything: at the end of first.mp4 the server starts second.mp4 for everyone.
    await Promise.all([host, guest].map((page) => eventually(() => playingId(page), 30_000).toBe(ids['second.mp4'])));
    await eventually(() => host.getByTestId('up-next').textContent()).toContain('Nothing up next.');
    await eventually(async () => {
      const [a, b] = await Promise.all([videoState(host), videoState(guest)]);
      return a !== null && b !== null && !a.paused && !b.paused && a.currentTime > 0.5 && Math.abs(a.currentTime - b.currentTime) < 0.5;
    }, 30_000).toBe(true);
    expect(await host.getByText('Up next: second.mp4').count()).toBeGreaterThan(0);
    expect(dump()).not.toMatch(/pageerror/);
  });
});

describe('join by code and invite links', () => {
  const email = `invite-${Date.now().toString(36)}@example.test`;
  let pinRoom: RoomView;
  let openRoom: RoomView;

  beforeAll(async () => {
    const api = new ApiClient(stack.baseUrl);
    await api.register(email, 'Ivy');
    pinRoom = await api.json<RoomView>('POST', '/api/rooms', { name: 'Locked den', pin: PIN }, 201);
    openRoom = await api.createRoom('Open lounge');
  });

  it('joins a room from its bare code, after refusing what is not a code', async () => {
    const page = await open(DESK);
    await page.goto(stack.baseUrl + '/');
    const code = page.getByLabel('Room link or code');
    await code.fill('not a room');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'That is not a room link or code.' }).waitFor();
    await screenshot(page, 'invite-00-home-join-by-code');
    await code.fill(openRoom.id);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.waitForURL(`${stack.baseUrl}/r/${openRoom.id}`);
    // The join page previews the room: name, host, how many watch.
    await eventually(() => page.getByTestId('room-preview').textContent()).toMatch(/Open lounge.*hosted by Ivy.*0 watching/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'invite-01-join-page');
  });

  it('builds an invite link with the PIN in its fragment and a QR code; the link lets a phone guest in without typing it', async () => {
    const host = await open(DESK);
    await signIn(host, email);
    await host.goto(`${stack.baseUrl}/r/${pinRoom.id}`);
    await host.getByRole('button', { name: 'PIN in the link' }).click();
    await host.getByLabel('Put the PIN in the link (optional)').fill(PIN);
    const link = host.getByLabel('Invite link (with PIN)');
    await eventually(() => link.inputValue()).toBe(`${stack.baseUrl}/r/${pinRoom.id}#pin=${PIN}`);
    await host.getByRole('button', { name: 'QR code' }).click();
    await host.getByRole('img', { name: 'QR code of the invite link with the PIN' }).waitFor();
    expect(await seriousA11yViolations(host)).toEqual([]);
    await screenshot(host, 'invite-02-link-and-qr', { fullPage: false });
    await host.goto(stack.baseUrl + '/');
    await host.getByRole('heading', { name: 'Join by code' }).waitFor();
    await screenshot(host, 'invite-00-home-signed-in');
    await host.goBack();
    await host.getByRole('button', { name: 'PIN in the link' }).click();
    await host.getByLabel('Put the PIN in the link (optional)').fill(PIN);

    // The guest pastes the invite into "Join by code" on the home page of their phone.
    const guest = await open(PHONE);
    const requested: string[] = [];
    guest.on('request', (r) => requested.push(r.url()));
    await guest.goto(stack.baseUrl + '/');
    await guest.getByLabel('Room link or code').fill(await link.inputValue());
    await screenshot(guest, 'invite-00-home-phone');
    await guest.getByRole('button', { name: 'Join', exact: true }).click();
    await eventually(() => guest.getByTestId('room-preview').textContent()).toMatch(/Locked den.*hosted by Ivy.*needs a PIN/);
    expect(await guest.getByLabel('PIN').inputValue()).toBe(PIN);
    expect(new URL(guest.url()).hash).toBe(''); // read once, then dropped from the address bar
    await screenshot(guest, 'invite-03-phone-join');
    await joinAsGuest(guest, { displayName: 'Rue' });
    await eventually(() => guest.getByRole('heading', { level: 1 }).textContent()).toBe('Locked den');
    // The PIN went to the server only in the join request's body, never in a URL.
    expect(requested.filter((u) => u.includes(PIN))).toEqual([]);
  });
});
