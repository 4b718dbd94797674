import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Debian's Chromium, driven by playwright-core (no bundled browser download). The flags keep it from
 * phoning home or updating during a run, and let video play without a user gesture.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/**
 * Saves a full-page screenshot as `<E2E_SCREENSHOTS>/<name>.png` when E2E_SCREENSHOTS is set, and does
 * nothing otherwise: screenshots are for people looking at a run, never something a test depends on.
 */
export async function screenshot(page: Page, name: string): Promise<string | null> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return null;
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// expect.poll gives up after 1 s by default; sign-in redirects and socket handshakes can take longer.
export const eventually = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });

export interface PageWithTools {
  page: Page;
  /** Everything the page logged as an error: printed when an assertion fails, to show why. */
  errors: string[];
}

export async function openPage(context: BrowserContext): Promise<PageWithTools> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

/** Fills the sign-up form the way a person does and waits until the header shows the new user. */
export async function signUp(page: Page, who: { email: string; displayName: string; password: string }) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Display name').fill(who.displayName);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await eventually(() => page.getByTestId('current-user').textContent()).toBe(who.displayName);
}
