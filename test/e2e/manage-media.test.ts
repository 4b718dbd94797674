import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * What an uploader does when a transcode is not going their way: see where the job is in the queue and
 * how long it will take, cancel it, retry it, delete it; and a second viewer sees the changes live.
 */
const item = (page: Page, name: string) => page.getByTestId('media-item').filter({ hasText: name });
const statusOf = (page: Page, name: string) => item(page, name).getAttribute('data-status');

describe('managing media in a room', () => {
  let stack: Stack;
  let browser: Browser;
  let owner: PageWithTools;
  let guest: PageWithTools;
  let longClip: string;
  let scratch: string;
  const password = 'correct horse battery';
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const [s, b, clip] = await Promise.all([
      startStack(),
      launchBrowser(),
      makeClip({ seconds: 24, width: 1280, height: 720, fps: 30, audio: true, name: 'long-e2e.mp4' }),
    ]);
    stack = s;
    browser = b;
    longClip = clip;
    scratch = await mkdtemp(join(tmpdir(), 'rr-e2e-manage-'));
    owner = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    guest = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const upload = async (page: Page, name: string) => {
    // A path, not a buffer: Chromium reads the 20 MB file itself instead of receiving it over the protocol,
    // which took more than the action timeout on a loaded machine.
    const file = join(scratch, name);
    await copyFile(longClip, file);
    // The file input is disabled while the previous upload finishes (a person cannot choose then), but
    // setInputFiles fills it anyway, and the finished upload then clears it: wait until it is free.
    await eventually(() => page.getByLabel('Video file').isEnabled()).toBe(true);
    await page.getByLabel('Video file').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload' }).click();
    await item(page, name).waitFor();
  };

  it('shows a queue position for the waiting upload and an ETA for the running one', async () => {
    const { page } = owner;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `olive-${tag}@example.test`, displayName: 'Olive', password });
    await page.getByLabel('Room name').fill('Edit suite');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');

    await upload(page, 'first.mp4');
    await upload(page, 'second.mp4');
    await eventually(() => statusOf(page, 'first.mp4')).toBe('processing');
    // One worker: the second waits, first in line behind the running one.
    await eventually(() => item(page, 'second.mp4').getByTestId('media-queue').textContent()).toBe('Next in line');
    await eventually(() => item(page, 'first.mp4').getByTestId('media-progress-text').textContent(), 30_000).toMatch(
      /Transcoding \d+% · about \d+ (min|s) left/,
    );
    await screenshot(page, 'manage-01-queue-and-eta');
  });

  it('lets a second viewer watch the list without any manage buttons', async () => {
    const { page } = guest;
    await page.goto(owner.page.url());
    await page.getByRole('heading', { name: 'Join this room' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Create account' }).click();
    await page.waitForURL('**/register?next=*');
    await signUp(page, { email: `gus-${tag}@example.test`, displayName: 'Gus', password });
    await page.waitForURL(/\/r\//);
    await item(page, 'first.mp4').waitFor();
    expect(await page.getByRole('button', { name: /^(Cancel|Retry|Delete) / }).count()).toBe(0);
  });

  it('cancels the running transcode, shows who cancelled it, and the queued one starts', async () => {
    const { page } = owner;
    await item(page, 'first.mp4').getByRole('button', { name: 'Cancel first.mp4' }).click();
    await eventually(() => statusOf(page, 'first.mp4')).toBe('failed');
    expect(await item(page, 'first.mp4').textContent()).toContain('Cancelled by Olive.');
    await eventually(() => statusOf(page, 'second.mp4')).toBe('processing');
    await eventually(() => statusOf(guest.page, 'first.mp4')).toBe('failed');
    await screenshot(page, 'manage-02-cancelled');
  });

  it('deletes the running upload, and it disappears for everyone', async () => {
    const { page } = owner;
    page.once('dialog', (d) => void d.accept());
    await item(page, 'second.mp4').getByRole('button', { name: 'Delete second.mp4' }).click();
    await eventually(() => item(page, 'second.mp4').count()).toBe(0);
    await eventually(() => item(guest.page, 'second.mp4').count()).toBe(0);
  });

  it('retries the cancelled upload through to ready', async () => {
    const { page } = owner;
    await item(page, 'first.mp4').getByRole('button', { name: 'Retry first.mp4' }).click();
    await eventually(() => statusOf(page, 'first.mp4')).not.toBe('failed');
    await eventually(() => statusOf(page, 'first.mp4'), 120_000).toBe('ready');
    await eventually(() => statusOf(guest.page, 'first.mp4')).toBe('ready');
    await screenshot(page, 'manage-03-ready-after-retry');
  });

  it('uploads a file dropped anywhere on the room (audio too), and the room stays open', async () => {
    const { page } = owner;
    const roomUrl = page.url();
    expect(await page.getByLabel('Video file').getAttribute('accept')).toBe('video/*,audio/*');
    const song = await readFile(await makeClip({ seconds: 3, width: 64, height: 64, audio: true, name: 'dropped.mp4' }));
    // What a desktop drag does: dragover then drop, with the file in the DataTransfer, here over the chat.
    await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'dropped.mp4', { type: 'video/mp4' }));
      const target = document.querySelector('section.chat') ?? document.body;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      await Promise.resolve();
    }, song.toString('base64'));
    await item(page, 'dropped.mp4').waitFor({ timeout: 60_000 });
    expect(page.url()).toBe(roomUrl);
    await eventually(() => statusOf(guest.page, 'dropped.mp4'), 120_000).toBe('ready');
  });
});
