import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('@reelroom/fetch/messages', () => {
  it('imports nothing from node, so the web app can bundle it', () => {
    for (const file of ['messages.ts', 'fetch-messages.ts', 'fetch.error.ts', 'format-bytes.ts']) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/from 'node:/);
      expect(
        [...source.matchAll(/from '(\.[^']+)'/g)]
          .map((m) => m[1])
          .every((p) => ['./fetch-messages.js', './fetch.error.js', './format-bytes.js'].includes(p)),
        file,
      ).toBe(true);
    }
  });
});
