import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');
const variable = (name: string) => css.match(new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i'))?.[1] ?? '';

describe('styles.css colours', () => {
  it('gives primary buttons white text at WCAG AA contrast (4.5:1), at rest and under the pointer', () => {
    expect(css).toMatch(/button\.primary,\s*\.button\.primary\s*{[^}]*background: var\(--accent-strong\);[^}]*color: #fff;/);
    expect(css).toMatch(/button\.primary:hover:not\(:disabled\),\s*\.button\.primary:hover\s*{[^}]*background: var\(--accent-stronger\);/);
    for (const name of ['accent-strong', 'accent-stronger']) expect(contrast('#ffffff', variable(name)), name).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps body and muted text readable on the page and on surfaces', () => {
    for (const bg of ['bg', 'surface', 'surface-2']) {
      expect(contrast(variable('text'), variable(bg)), `text on ${bg}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(variable('muted'), variable(bg)), `muted on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
