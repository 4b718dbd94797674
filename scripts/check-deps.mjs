#!/usr/bin/env node
// Offline dependency check (issue 9): fails when package-lock.json installs a version that an entry of
// security/advisories.json calls vulnerable. `npm audit` needs the registry's advisory database; this
// needs nothing, so it runs in CI (`npm run lint`) and on machines without network. Operators who can
// reach the registry also run `npm audit --omit=dev` (docs/SECURITY.md, Dependencies).
//
// Usage: node scripts/check-deps.mjs [--lock path/to/package-lock.json] [--advisories path/to/advisories.json]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findVulnerable } from './lib/advisories.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const lockPath = arg('--lock', join(root, 'package-lock.json'));
const advisoriesPath = arg('--advisories', join(root, 'security/advisories.json'));

const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const { advisories } = JSON.parse(readFileSync(advisoriesPath, 'utf8'));
const found = findVulnerable(lock, advisories);
if (found.length === 0) {
  console.log(`check-deps: no known-vulnerable versions (${advisories.length} advisories, ${lockPath}).`);
} else {
  for (const f of found) {
    console.error(
      `check-deps: ${f.name}@${f.version} (${f.path}) is vulnerable: ${f.advisory.id}, ${f.advisory.summary} Affected: ${f.advisory.vulnerable}.`,
    );
  }
  console.error(
    `check-deps: ${found.length} vulnerable package version(s). Upgrade them (npm update <name>) or, if not affected, say why in security/advisories.json.`,
  );
  process.exitCode = 1;
}
