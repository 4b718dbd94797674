#!/usr/bin/env node
// Generates the Prisma client into packages/db/src/generated.
// `prisma generate` needs no engine for the `prisma-client` generator, but the CLI still looks for the
// schema engine binary at start-up and tries to download it. Where none was downloaded (no network),
// point PRISMA_SCHEMA_ENGINE_BINARY at any existing file: generate never executes it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
if (!existsSync(cli)) {
  console.error('prisma CLI not found: run npm install first');
  process.exit(1);
}
const r = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
