import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { eventually, launchBrowser, openPage, screenshot, signUp, type PageWithTools } from '../support/browser.js';
import { FFMPEG_PATH, makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 10 in the browser: an administrator sees the queues, the worker and a failed job with its reason
 * on /admin, pauses and resumes a queue, retries the job, cancels a running one, drains and resumes the worker; Bull Board opens under its own CSP; anyone
 * else gets neither the link nor the page.
 */
describe('admin console in the browser', () => {
  const tag = Date.now().toString(36);
  const adminEmail = `admin-${tag}@example.test`;
  const password = 'lantern orchard 77';
  let stack: Stack;
  let browser: Browser;
  let admin: PageWithTools;
  let api: ApiClient;
  let room: RoomView;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rr-admin-e2e-'));
    [stack, browser] = await Promise.all([startStack({ env: { ADMIN_EMAILS: adminEmail } }), launchBrowser()]);
    admin = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('shows an administrator the queues and the worker, and pauses and resumes a queue', async () => {
    const { page } = admin;
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: adminEmail, displayName: 'Operator', password });
    // The register page asked /api/auth/me while signed out (a 401, as on every first visit): not ours to count.
    admin.errors.length = 0;
    await page.getByTestId('admin-link').click();
    await page.waitForURL(/\/admin$/);
    await page.getByRole('heading', { name: 'Queues' }).waitFor();
    await eventually(() => page.getByTestId('worker').count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('worker').first().textContent()).toMatch(/Transcodes · process \d+ · 1 at once/);

    const media = page.getByTestId('queue-media');
    await media.getByRole('button', { name: 'Pause' }).click();
    await eventually(() => media.getAttribute('data-paused')).toBe('true');
    await expect.poll(() => media.getByTestId('queue-summary').textContent()).toMatch(/^paused · 0 waiting/);
    await media.getByRole('button', { name: 'Resume' }).click();
    await eventually(() => media.getAttribute('data-paused')).toBe('false');
    await screenshot(page, 'admin-console');
    expect(admin.errors).toEqual([]);
  });

  it('lists a failed job with its reason and retries it', async () => {
    const { page } = admin;
    api = new ApiClient(stack.baseUrl);
    api.token = (await api.json<AuthResponse>('POST', '/api/auth/login', { email: adminEmail, password }, 200)).accessToken;
    room = await api.createRoom('Admin e2e');
    // moov at the end, cut in half: the upload sniffer lets it in, the worker fails it with a reason.
    const tail = await makeClip({ seconds: 4, width: 320, height: 240, dir: scratch, name: 'tail.mp4' });
    const bad = join(scratch, 'moovless.mp4');
    execFileSync(FFMPEG_PATH, ['-loglevel', 'error', '-y', '-i', tail, '-c', 'copy', bad]);
    truncateSync(bad, Math.floor(statSync(bad).size / 2));
    const media = await api.upload(room.id, bad);
    expect((await api.waitForMedia(media.id)).status).toBe('failed');

    const failed = page.getByTestId('failed-job').filter({ hasText: media.id });
    await failed.waitFor({ timeout: 20_000 });
    await expect.poll(() => failed.getByTestId('failed-reason').textContent()).toMatch(/not a video we can read/);
    const retried = page.waitForResponse(
      (r) => r.url().endsWith(`/api/admin/queues/media/jobs/${media.id}/retry`) && r.request().method() === 'POST',
    );
    await failed.getByRole('button', { name: 'Retry' }).click();
    expect((await retried).status()).toBe(204);
    // Retried through the media row: it is queued (or already failed again, with two tries behind it).
    await eventually(async () => (await api.json<{ status: string; error: string | null }>('GET', `/api/media/${media.id}`)).status).toBe(
      'failed',
    );
    expect(admin.errors).toEqual([]);
  });

  it('cancels a running job, and drains and resumes the worker', async () => {
    const { page } = admin;
    await page.goto(`${stack.baseUrl}/admin`);
    // Long enough to still be encoding when the Cancel click lands.
    const long = await makeClip({ seconds: 30, width: 1280, height: 720, dir: scratch, name: 'long.mp4' });
    const media = await api.upload(room.id, long);
    const running = page.getByTestId('running-job').filter({ hasText: media.id });
    await running.waitFor({ timeout: 60_000 });
    const cancelled = page.waitForResponse(
      (r) => r.url().endsWith(`/api/admin/queues/media/jobs/${media.id}/cancel`) && r.request().method() === 'POST',
    );
    await running.getByRole('button', { name: `Cancel job ${media.id}` }).click();
    expect((await cancelled).status()).toBe(204);
    // The job moves to the failed list (for good: no retry), and the media says who stopped it.
    await page.getByTestId('failed-job').filter({ hasText: media.id }).waitFor({ timeout: 30_000 });
    expect(await api.json<{ status: string; error: string | null }>('GET', `/api/media/${media.id}`)).toMatchObject({
      status: 'failed',
      error: 'Cancelled by an administrator.',
    });
    await screenshot(page, 'admin-console-cancelled');

    const worker = page.getByTestId('worker').filter({ hasText: 'Transcodes' }).first();
    await worker.getByRole('button', { name: /^Drain process \d+ on / }).click();
    await eventually(() => worker.getAttribute('data-draining')).toBe('true');
    await worker.getByTestId('worker-draining').waitFor();
    await screenshot(page, 'admin-console-draining');
    await worker.getByRole('button', { name: /^Resume process \d+ on / }).click();
    await eventually(() => worker.getAttribute('data-draining')).toBe('false');
    expect(admin.errors).toEqual([]);
  });

  it('opens Bull Board for an administrator under its own CSP, without violations', async () => {
    const { page } = admin;
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text()) && !/fonts\.googleapis/.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(`${stack.baseUrl}/admin/queues`);
    expect(res?.status()).toBe(200);
    await page.getByText('media-import').first().waitFor();
    await screenshot(page, 'bull-board');
    expect(violations).toEqual([]);
  });

  it('gives anyone else neither the link nor the page', async () => {
    const other = await openPage(await browser.newContext());
    await other.page.goto(`${stack.baseUrl}/register`);
    await signUp(other.page, { email: `member-${tag}@example.test`, displayName: 'Member', password });
    // The link would appear once /api/auth/me answered isAdmin: let every request settle, then check.
    await other.page.waitForLoadState('networkidle');
    expect(await other.page.getByTestId('admin-link').count()).toBe(0);
    await other.page.goto(`${stack.baseUrl}/admin`);
    await other.page.getByRole('alert').filter({ hasText: 'Only administrators can open this.' }).waitFor();
    const board = await other.page.goto(`${stack.baseUrl}/admin/queues`);
    expect(board?.status()).toBe(403);
  });
});
