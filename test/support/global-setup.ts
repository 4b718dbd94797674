import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startS3Server } from './s3.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * Once per test project (integration, e2e): a fresh database migrated with the same runner as
 * production, a check that the apps were built (npm test builds them first), and an S3-protocol server
 * on loopback for the stacks and specs that use object storage (stopped when the project ends).
 */
export default async function setup(project: TestProject) {
  for (const entry of ['apps/api/dist/main.js', 'apps/transcoder/dist/main.js']) {
    if (!existsSync(join(root, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does).`);
  }
  const base = process.env.TEST_DATABASE_BASE_URL ?? 'postgresql://reelroom:reelroom@127.0.0.1:5432';
  // TEST_DB_SUFFIX lets several test runs share one PostgreSQL without dropping each other's database.
  const dbName = `reelroom_test_${project.name}${process.env.TEST_DB_SUFFIX ?? ''}`.replace(/[^a-z0-9_]/gi, '_');
  const admin = `${base}/postgres`;
  execFileSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`], { stdio: 'inherit' });
  const databaseUrl = `${base}/${dbName}`;
  execFileSync(process.execPath, [join(root, 'scripts/migrate.mjs'), '--create-db'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: 'pipe',
  });
  project.provide('databaseUrl', databaseUrl);
  const s3 = await startS3Server();
  project.provide('s3Endpoint', s3.endpoint);
  return () => s3.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    /** The test S3 server (test/support/s3.ts). */
    s3Endpoint: string;
  }
}
