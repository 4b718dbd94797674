#!/usr/bin/env node
// Generates the Prisma client into packages/db/src/generated, when its inputs changed.
// `prisma generate` needs no engine for the `prisma-client` generator, but the CLI still looks for the
// schema engine binary at start-up and tries to download it. Where none was downloaded (no network),
// point PRISMA_SCHEMA_ENGINE_BINARY at any existing file: generate never executes it.
// The inputs (schema, config, Prisma versions) are hashed into the output directory: an unchanged
// schema leaves the generated files, and so `tsc -b`'s view of them, untouched.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'packages', 'db', 'src', 'generated');
const stampFile = join(outDir, '.inputs.sha256');
const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
if (!existsSync(cli)) {
  console.error('prisma CLI not found: run npm install first');
  process.exit(1);
}

const inputs = createHash('sha256');
for (const file of [
  'prisma/schema.prisma',
  'prisma.config.ts',
  'node_modules/prisma/package.json',
  'node_modules/@prisma/client/package.json',
]) {
  const path = join(root, file);
  inputs.update(`${file}\0${existsSync(path) ? readFileSync(path) : ''}\0`);
}
const digest = inputs.digest('hex');
if (
  !process.argv.includes('--force') &&
  existsSync(join(outDir, 'client.ts')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8').trim() === digest
) {
  console.log('Prisma client is up to date (packages/db/src/generated)');
  process.exit(0);
}

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const r = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: 'inherit' });
if (r.status === 0) writeFileSync(stampFile, `${digest}\n`);
process.exit(r.status ?? 1);
