import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findVulnerable, satisfies, type Advisory } from './advisories.mjs';

const root = join(import.meta.dirname, '..', '..');

describe('offline dependency check', () => {
  it('reads advisory ranges: comparators joined by spaces (and) and || (or)', () => {
    expect(satisfies('4.4.2', '<4.4.3')).toBe(true);
    expect(satisfies('4.4.3', '<4.4.3')).toBe(false);
    expect(satisfies('7.0.4', '<6.0.6 || >=7.0.0 <7.0.5')).toBe(true);
    expect(satisfies('6.0.6', '<6.0.6 || >=7.0.0 <7.0.5')).toBe(false);
    expect(satisfies('8.0.0-rc.1', '>=8.0.0 <8.17.1')).toBe(true);
    expect(satisfies('1.2.3', '=1.2.3')).toBe(true);
    expect(() => satisfies('1.0.0', '^1.0.0')).toThrow(/cannot read/);
  });

  it('finds a vulnerable version anywhere in the lockfile, nested copies included', () => {
    const lock = {
      packages: {
        '': { name: 'reelroom' },
        'node_modules/node-media-server': { version: '4.4.2' },
        'node_modules/a/node_modules/ws': { version: '8.17.0' },
        'node_modules/ws': { version: '8.18.0' },
        'node_modules/@reelroom/web': { link: true },
      },
    };
    const advisories: Advisory[] = [
      { package: 'node-media-server', vulnerable: '<4.4.3', id: 'x', summary: 's' },
      { package: 'ws', vulnerable: '>=8.0.0 <8.17.1', id: 'y', summary: 's' },
    ];
    expect(findVulnerable(lock, advisories).map((f) => `${f.path}@${f.version}`)).toEqual([
      'node_modules/node-media-server@4.4.2',
      'node_modules/a/node_modules/ws@8.17.0',
    ]);
  });

  it('passes on our lockfile and fails (exit 1, naming the package) on one with node-media-server 4.4.2', () => {
    const ok = spawnSync(process.execPath, [join(root, 'scripts/check-deps.mjs')], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    lock.packages['node_modules/node-media-server'] = { version: '4.4.2' };
    const bad = join(mkdtempSync(join(tmpdir(), 'rr-deps-')), 'package-lock.json');
    writeFileSync(bad, JSON.stringify(lock));
    const res = spawnSync(process.execPath, [join(root, 'scripts/check-deps.mjs'), '--lock', bad], { encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/node-media-server@4\.4\.2/);
  });
});
