#!/usr/bin/env node
// Applies prisma/migrations/*/migration.sql in order and records each one in `_prisma_migrations`
// with the same columns and checksum (SHA-256 of the file) that `prisma migrate deploy` writes, so the
// two are interchangeable: where Prisma's schema engine is available, `prisma migrate deploy` sees these
// migrations as applied. We need our own runner because the engine is downloaded at install time and
// that fails on machines without access to Prisma's binaries.
//
// Usage: DATABASE_URL=postgresql://... node scripts/migrate.mjs [--create-db]
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'packages/db/package.json'));
const pg = require('pg');

const url = process.env.DATABASE_URL ?? 'postgresql://reelroom:reelroom@127.0.0.1:5432/reelroom';
const migrationsDir = join(root, 'prisma', 'migrations');

async function ensureDatabase() {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount === 0) {
      // Identifiers cannot be parameters; the name is checked to be a plain identifier first.
      if (!/^[A-Za-z0-9_]+$/.test(dbName)) throw new Error(`refusing to create database with name ${dbName}`);
      await client.query(`CREATE DATABASE "${dbName}"`);
      console.log(`created database ${dbName}`);
    }
  } finally {
    await client.end();
  }
}

async function migrate() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Serialise concurrent runners (two `npm run up`, or CI workers) on one advisory lock.
    await client.query('SELECT pg_advisory_lock(72707369)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const applied = await client.query(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const byName = new Map(applied.rows.map((r) => [r.migration_name, r]));
    const names = existsSync(migrationsDir)
      ? readdirSync(migrationsDir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
          .sort()
      : [];
    let count = 0;
    for (const name of names) {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const prior = byName.get(name);
      if (prior) {
        if (!prior.finished_at)
          throw new Error(`migration ${name} started earlier but did not finish: fix the database by hand, then mark it rolled back`);
        if (prior.checksum !== checksum) console.warn(`warning: migration ${name} was edited after it was applied`);
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
          id,
          checksum,
          name,
        ]);
        await client.query(sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${err.message}`, { cause: err });
      }
      count++;
      console.log(`applied migration ${name}`);
    }
    console.log(count ? `${count} migration(s) applied` : 'database is up to date');
  } finally {
    await client.end();
  }
}

if (process.argv.includes('--create-db')) await ensureDatabase();
await migrate();
