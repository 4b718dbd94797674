import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The provisioning checks of scripts/lib/provision.sh, run by bash against fake machines: a PATH of
// temp directories holding only the commands a case wants. Nothing here installs or starts anything:
// `as_root` is replaced in every script that could reach apt-get.
const lib = join(import.meta.dirname, 'provision.sh');
const scratch = mkdtempSync(join(tmpdir(), 'rr-provision-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** A directory with an executable stub for each name. */
function binDir(...names: string[]): string {
  const dir = join(scratch, `bin${n++}`);
  mkdirSync(dir);
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

// stdin from /dev/null: on a socket (Node's default pipes) bash assumes a remote shell and reads ~/.bashrc.
const bash = (script: string, env: Record<string, string> = {}) =>
  spawnSync('/bin/bash', ['--norc', '-c', `source '${lib}'\n${script}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const lines = (out: string) => out.split('\n').filter(Boolean);
const ALL_RUN = ['ffmpeg', 'ffprobe', 'psql', 'pg_isready', 'redis-server', 'redis-cli'];

describe('missing_packages', () => {
  it('names the Debian package of each command missing from the given PATH, once each', () => {
    const dir = binDir('ffmpeg', 'psql');
    const r = bash(`missing_packages '${dir}' "\${RUN_NEEDS[@]}"`);
    expect(r.status).toBe(0);
    // ffprobe lacks (ffmpeg's package, named once), pg_isready lacks (the client), redis lacks entirely.
    expect(lines(r.stdout)).toEqual(['ffmpeg', 'postgresql-client', 'redis-server', 'redis-tools']);
  });

  it('finds commands in any directory of the PATH, and nothing when all are there', () => {
    const r = bash(`missing_packages '/nonexistent:${binDir(...ALL_RUN.slice(0, 3))}::${binDir(...ALL_RUN.slice(3))}' "\${RUN_NEEDS[@]}"`);
    expect(r.stdout).toBe('');
  });

  it('counts neither a directory nor a file that is not executable as the command', () => {
    const dir = binDir(...ALL_RUN.filter((c) => c !== 'ffmpeg' && c !== 'redis-cli'));
    mkdirSync(join(dir, 'ffmpeg'));
    writeFileSync(join(dir, 'redis-cli'), 'not a program');
    expect(lines(bash(`missing_packages '${dir}' "\${RUN_NEEDS[@]}"`).stdout)).toEqual(['ffmpeg', 'redis-tools']);
  });

  it('for the test suite, also wants Chromium at the path the browser tests run (CHROMIUM_PATH) and ps', () => {
    const dir = binDir(...ALL_RUN);
    const chromium = join(binDir('chromium'), 'chromium');
    expect(lines(bash(`missing_packages '${dir}' "\${TEST_NEEDS[@]}"`, { CHROMIUM_PATH: join(scratch, 'no-chromium') }).stdout)).toEqual([
      'chromium',
      'procps',
    ]);
    // In PATH is not enough: the tests launch it by path.
    expect(
      lines(
        bash(`missing_packages '${dir}:${join(chromium, '..')}' "\${TEST_NEEDS[@]}"`, { CHROMIUM_PATH: join(scratch, 'no-chromium') })
          .stdout,
      ),
    ).toEqual(['chromium', 'procps']);
    expect(lines(bash(`missing_packages '${binDir(...ALL_RUN, 'ps')}' "\${TEST_NEEDS[@]}"`, { CHROMIUM_PATH: chromium }).stdout)).toEqual(
      [],
    );
  });
});

describe('ensure_packages', () => {
  // No root, no sudo: as_root fails. The PostgreSQL server check looks at the real machine: stubbed.
  const noRoot = 'as_root() { echo "as_root $*" >&2; return 1; }\npostgres_server_package() { :; }\n';

  it('stops at once, before any install, with the one apt-get line that installs everything missing', () => {
    const r = bash(
      `${noRoot}PATH='${binDir('ffmpeg', 'ffprobe', 'psql', 'pg_isready', 'ps')}'\nensure_packages "\${TEST_NEEDS[@]}"\necho after`,
      {
        CHROMIUM_PATH: join(scratch, 'no-chromium'),
      },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('after');
    expect(r.stderr).toContain(
      'missing: redis-server redis-tools chromium. Install them with: sudo apt-get install -y redis-server redis-tools chromium',
    );
    expect(r.stderr).not.toContain('as_root apt-get');
  });

  it('does nothing, as root or not, when nothing is missing', () => {
    const r = bash(`${noRoot}PATH='${binDir(...ALL_RUN, 'ps')}'\nensure_packages "\${TEST_NEEDS[@]}" && echo done`, {
      CHROMIUM_PATH: join(binDir('chromium'), 'chromium'),
    });
    expect(r.stdout.trim()).toBe('done');
    expect(r.stderr).toBe('');
  });

  it('installs the missing packages in one apt-get when it can run as root', () => {
    const asRoot = 'as_root() { echo "as_root $*" >&2; }\npostgres_server_package() { echo postgresql; }\n';
    const r = bash(`${asRoot}PATH='${binDir(...ALL_RUN)}'\nensure_packages "\${RUN_NEEDS[@]}" ps:procps`);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends procps postgresql',
    );
  });
});

describe('require_node', () => {
  it('accepts the Node.js that runs this test (package.json engines: >=20.19)', () => {
    expect(bash('require_node && echo ok').stdout.trim()).toBe('ok');
  });

  it('names the version it needs when node is missing', () => {
    const r = bash(`PATH='${binDir()}'\nrequire_node`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Node.js 20.19+ is required (found: none)');
  });
});
