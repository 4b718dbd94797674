import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlVideo, eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The library (issue 12) as a person uses it: upload a video in room A, open room B, "Add from my
 * library", and it plays in room B at once, with nothing uploaded or transcoded again. On a phone-sized
 * window (390 px), where the list must still fit.
 */
const READY_TIMEOUT = 120_000;
const item = (page: Page, name: string) => page.getByTestId('media-item').filter({ hasText: name });

describe('adding a video from my library to another room', () => {
  let stack: Stack;
  let browser: Browser;
  let olive: PageWithTools;
  let clipPath: string;
  let roomAUrl: string;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const [s, b, clip] = await Promise.all([
      startStack(),
      launchBrowser(),
      makeClip({ seconds: 6, width: 640, height: 360, name: 'library-e2e.mp4' }),
    ]);
    stack = s;
    browser = b;
    clipPath = clip;
    olive = await openPage(await browser.newContext({ viewport: { width: 390, height: 844 } }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const createRoom = async (page: Page, name: string) => {
    await page.goto(stack.baseUrl);
    await page.getByLabel('Room name').fill(name);
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state'), 60_000).toBe('connected');
    // A phone shows one room panel at a time.
    await page.getByRole('tab', { name: 'Videos' }).click();
  };

  it('uploads a video in room A', async () => {
    const { page } = olive;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `olive-${tag}@example.test`, displayName: 'Olive', password: 'correct horse battery' });
    await createRoom(page, 'Room A');
    roomAUrl = page.url();
    // An empty library says where videos come from.
    await page.getByRole('button', { name: 'Add from my library' }).click();
    await page.getByText('Videos you upload to any room appear here.').waitFor();
    await page.getByRole('button', { name: 'Add from my library' }).click();

    await page.getByLabel('Video file').setInputFiles(clipPath);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'library-e2e.mp4' })
      .waitFor({ timeout: READY_TIMEOUT });
  });

  it('adds it to room B from the library, without uploading, and it plays there', async () => {
    const { page, errors } = olive;
    await createRoom(page, 'Room B');
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') sent.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });

    const open = page.getByRole('button', { name: 'Add from my library' });
    await open.click();
    expect(await open.getAttribute('aria-expanded')).toBe('true');
    const list = page.getByRole('region', { name: 'My library' });
    await list.getByText('library-e2e.mp4').waitFor({ timeout: 60_000 });
    await list.getByText('0:06').waitFor();
    await eventually(() => list.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 30_000).toBe(
      true,
    );
    // The list and its Add button fit the phone's width.
    const addButton = list.getByRole('button', { name: 'Add library-e2e.mp4 to this room' });
    await addButton.scrollIntoViewIfNeeded();
    for (const box of [await list.boundingBox(), await addButton.boundingBox()]) {
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    }
    await screenshot(page, 'library-01-picker-390');

    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/media/from-library')), addButton.click()]);
    expect(response.status()).toBe(201);
    const added = (await response.json()) as { id: string };
    // Ready at once: no queue, no transcoding in this room.
    await page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'library-e2e.mp4' })
      .waitFor({ timeout: 30_000 });
    // Added, so no longer offered here.
    await list.getByText('Every ready video of yours is already in this room.', { exact: false }).waitFor();
    expect(sent.filter((s) => s.startsWith('POST') || s.startsWith('PATCH'))).toEqual([
      expect.stringMatching(/^POST \/api\/rooms\/[A-Za-z0-9_-]{22}\/media\/from-library$/),
    ]);

    await item(page, 'library-e2e.mp4').locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    await controlVideo(page, { play: true });
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="player"]')?.currentTime ?? 0) > 1, null, {
      timeout: 60_000,
    });
    await screenshot(page, 'library-02-playing-in-room-b');
    // What plays is room B's own item, whose files are the upload's.
    expect(
      await page.evaluate(
        () => (window as unknown as { __reelroom?: { hls?: { url?: string | null } | null } }).__reelroom?.hls?.url ?? null,
      ),
      errors.join('\n'),
    ).toContain(`/media/${added.id}/master.m3u8`);
  });

  it('still has the video in room A', async () => {
    const { page } = olive;
    await page.goto(roomAUrl);
    await page.getByRole('tab', { name: 'Videos' }).click();
    await page
      .locator('[data-testid="media-item"][data-status="ready"]')
      .filter({ hasText: 'library-e2e.mp4' })
      .waitFor({ timeout: 60_000 });
  });
});
