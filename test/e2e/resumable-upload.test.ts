import { execFile } from 'node:child_process';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Request as PageRequest } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { FFMPEG_PATH } from '../support/media.js';
import '../support/page-hooks.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Resumable upload through the browser: start, Pause (progress stops), reload the page, choose the same
 * file again, and the upload continues from where the server has it, not from 0, then plays.
 */
const CHUNK = 256 * 1024;

/** A clip of ~10 MB or more that still transcodes quickly: short, lossless (so, many bytes). */
async function bigClip(): Promise<string> {
  const out = join(await mkdtemp(join(tmpdir(), 'rr-resume-')), 'big-clip.mp4');
  await promisify(execFile)(FFMPEG_PATH, [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=30',
    '-t',
    '5',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-qp',
    '0',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    out,
  ]);
  return out;
}

describe('resumable upload in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: PageWithTools;
  let clipPath: string;
  let size: number;

  beforeAll(async () => {
    [stack, browser, clipPath] = await Promise.all([startStack(), launchBrowser(), bigClip()]);
    size = (await stat(clipPath)).size;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('pauses, survives a reload, resumes from the server offset and ends ready', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Test hook read by apps/web/src/api/resumable-upload.ts: small chunks so a pause lands mid-file.
    await context.addInitScript((chunk) => (window.__reelroomUploadChunkSize = chunk), CHUNK);
    alice = await openPage(context);
    const { page, errors } = alice;
    // Throttle uploads (~3 MB/s) so there is time to press Pause.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 5,
      downloadThroughput: -1,
      uploadThroughput: 3 * 1024 * 1024,
    });

    await page.goto(stack.baseUrl + '/register');
    await signUp(page, {
      email: `resume-${Date.now().toString(36)}@example.test`,
      displayName: 'Resumer',
      password: 'correct horse battery',
    });
    await page.getByLabel('Room name').fill('Resume night');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);

    // Every tus PATCH the page sends, and those that are over (answered or aborted).
    const patches: PageRequest[] = [];
    const over = new Set<PageRequest>();
    page.on('request', (r) => {
      if (r.method() === 'PATCH' && r.url().includes('/api/uploads/')) patches.push(r);
    });
    page.on('requestfinished', (r) => over.add(r));
    page.on('requestfailed', (r) => over.add(r));

    const progress = page.locator('.upload-progress');
    const sent = async () => Number((await progress.getAttribute('data-sent')) ?? 0);
    await page.getByLabel('Video file').setInputFiles(clipPath);
    await page.getByRole('button', { name: 'Upload' }).click();
    await eventually(sent, 30_000).toBeGreaterThan(size * 0.2);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const atPause = await sent();
    expect(atPause, errors.join('\n')).toBeLessThan(size);
    // Paused sends no more chunks. A running upload sends its next chunk as soon as the last one is
    // answered, so: wait until the chunk on the wire at the click is over, then make a round trip
    // from the page (a later event in the same page); no new PATCH may have started meanwhile.
    await eventually(() => patches.every((r) => over.has(r))).toBe(true);
    const patchesWhenIdle = patches.length;
    expect(await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status))).toBe(200);
    expect(patches.length).toBe(patchesWhenIdle);
    expect(await sent()).toBe(atPause);
    expect(await progress.textContent()).toContain('Paused');
    await screenshot(page, 'resume-01-paused');

    await page.reload();
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
    await page.getByLabel('Video file').setInputFiles(clipPath);
    await page.getByRole('button', { name: 'Upload' }).click();
    await eventually(async () => Number((await progress.getAttribute('data-resumed-from')) ?? 0)).toBeGreaterThan(0);
    const resumedFrom = Number(await progress.getAttribute('data-resumed-from'));
    // Continues from what the server had, not from 0: about where the page paused (progress events lag
    // the bytes on the wire by up to a chunk either way).
    expect(resumedFrom).toBeGreaterThan(atPause - 2 * CHUNK);
    expect(resumedFrom).toBeLessThanOrEqual(atPause + CHUNK);
    expect(resumedFrom).toBeLessThan(size);
    await screenshot(page, 'resume-02-resumed');

    const item = page.getByTestId('media-item').filter({ hasText: 'big-clip.mp4' });
    await item.waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="media-item"][data-status="ready"]').filter({ hasText: 'big-clip.mp4' }).waitFor({ timeout: 120_000 });
    await screenshot(page, 'resume-03-ready');
    expect(await page.getByTestId('media-item').count()).toBe(1);
  });
});
