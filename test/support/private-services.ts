import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './stack.js';
import { waitUntil } from './wait.js';

// Private Redis and PostgreSQL servers that a test may stop and start at will (the chaos tests of issues 4
// and 10), on free ports and temp dirs, so the machine's shared servers and every other test file are
// untouched. Both keep what they acknowledged across a restart: Redis with AOF fsync always, PostgreSQL
// with fsync on (its default).

export interface PrivateServer {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** A clean shutdown (Redis SHUTDOWN, pg_ctl -m fast): what an operator's restart does. */
  stop(): Promise<void>;
  /** Stops it if running and removes its files. */
  dispose(): Promise<void>;
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r()));

export async function privateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rr-redis-'));
  let server: ChildProcess | undefined;
  const ping = async () => {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const pong = await probe
      .connect()
      .then(() => probe.ping())
      .catch(() => 'down');
    probe.disconnect();
    return pong;
  };
  const running = () => server !== undefined && server.exitCode === null && server.signalCode === null;
  const self: PrivateServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      server = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
          ...['--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'],
        ],
        { stdio: 'ignore' },
      );
      await waitUntil(async () => (await ping()) === 'PONG', `private redis-server on ${port} did not start`);
    },
    async stop() {
      if (!running()) return;
      const c = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => undefined);
      await c.call('SHUTDOWN').catch(() => undefined); // the connection drops as the server exits
      c.disconnect();
      await exited(server!);
    },
    async dispose() {
      await self.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}

/** Debian's server binaries (/usr/lib/postgresql/<major>/bin), the newest major installed. */
function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((d) => existsSync(join(base, d, 'bin', 'initdb'))) : [];
  if (majors.length === 0)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install -y postgresql).');
  return join(base, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * A throwaway PostgreSQL cluster (initdb, trust on loopback) with one migrated database, `url`. PostgreSQL
 * refuses to run as root, so under root its tools run as the `postgres` user the Debian package created.
 */
export async function privatePostgres(database: string): Promise<PrivateServer> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rr-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const pg = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(cmd, argv, { stdio: 'pipe' });
  };
  pg('initdb', ['-D', data, '-A', 'trust', '-U', 'reelroom', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  let running = false;
  const url = `postgresql://reelroom@127.0.0.1:${port}/${database}`;
  const self: PrivateServer = {
    port,
    url,
    async start() {
      pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop() {
      if (!running) return;
      pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    async dispose() {
      await self.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts/migrate.mjs'), '--create-db'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'pipe',
  });
  return self;
}
