import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
