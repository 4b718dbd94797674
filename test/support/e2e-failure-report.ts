import { mkdir } from 'node:fs/promises';
import { afterEach } from 'vitest';
import { openPages } from './browser.js';
import './page-hooks.js';

/**
 * When an e2e test fails, prints what each open page showed at that moment: its address, the start of
 * its visible text and the errors it logged, and saves a screenshot under E2E_SCREENSHOTS (when set). A
 * timeout in a CI log then says which screen the person was on, not only which element never came.
 */
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  let n = 0;
  for (const { page, errors } of openPages) {
    n++;
    if (page.isClosed()) continue;
    const text = await page.evaluate(() => document.body?.innerText ?? '').catch((err: unknown) => `(unreadable: ${String(err)})`);
    const media = await page.evaluate(() => window.__mediaLog ?? []).catch(() => []);
    const lines = [
      `[e2e failure] page ${n}: ${page.url()}`,
      `  text: ${text.replace(/\s+/g, ' ').slice(0, 1200)}`,
      ...errors.slice(-20).map((e) => `  ${e.slice(0, 400)}`),
      ...media.slice(-30).map((m) => `  media: ${m}`),
    ];
    console.warn(lines.join('\n'));
    const dir = process.env.E2E_SCREENSHOTS;
    if (dir) {
      await mkdir(dir, { recursive: true });
      const name = `${context.task.name}-page${n}`.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 120);
      await page.screenshot({ path: `${dir}/FAILED-${name}.png` }).catch(() => undefined);
    }
  }
});
