// Where a bench's CPU goes: CPU seconds per process over a phase (from /proc/<pid>/stat; a process's
// descendants, e.g. the ffmpeg a transcoder runs), and V8 CPU
// profiles of a phase only (the inspector's Profiler, started and stopped over the DevTools protocol), so a
// profile shows the traffic, not the start-up and the joins. Linux only; plain ESM like the benches.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './stack.mjs';

const { WebSocket } = createRequire(join(root, 'apps/api/package.json'))('ws');
/** USER_HZ: /proc reports CPU time in clock ticks; 100 on every Linux this runs on. */
const TICKS = Number(process.env.CLK_TCK ?? 100);

/** /proc/<pid>/stat's fields after the command name (which may hold spaces): [state, ppid, ...]. */
const statFields = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

/** User + system CPU seconds a process has used so far, or null for one that is gone. */
export function cpuSeconds(pid) {
  try {
    const fields = statFields(pid);
    // utime and stime are fields 14 and 15 of stat; here (counted from the state, field 3) 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/** Every live descendant of `root` (children, their children...) with its command line. */
export function descendants(root) {
  const procs = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(statFields(name)[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      procs.push({ pid: Number(name), ppid, cmdline });
    } catch {
      /* exited while we looked */
    }
  }
  const out = [];
  const parents = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs)
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        out.push(p);
        grew = true;
      }
  }
  return out;
}

/** The PostgreSQL backends serving `database` now (each connection is its own process). */
export function postgresBackends(dbBase, database) {
  try {
    const out = execFileSync('psql', [`${dbBase}/postgres`, '-Atc', `SELECT pid FROM pg_stat_activity WHERE datname = '${database}'`], {
      encoding: 'utf8',
    });
    return out.split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds of named process groups over a phase: `start()` reads every group's pids (a function, read
 * again at `stop()`, so backends that appear during the phase count from zero), `stop()` returns
 * [{name, seconds}] with the wall time, so shares of the machine can be printed.
 */
export function cpuMeter(groups) {
  let before;
  let t0;
  const read = () => new Map(Object.entries(groups).map(([name, pids]) => [name, new Map(pids().map((p) => [p, cpuSeconds(p) ?? 0]))]));
  return {
    start() {
      before = read();
      t0 = performance.now();
    },
    stop() {
      const wallS = (performance.now() - t0) / 1000;
      const after = read();
      const rows = [...after].map(([name, pids]) => {
        let seconds = 0;
        for (const [pid, s] of pids) seconds += s - (before.get(name)?.get(pid) ?? 0);
        return { name, seconds };
      });
      return { wallS, rows };
    },
  };
}

/** Prints a meter's result: CPU seconds, share of all measured CPU, and cores used on average. */
export function printCpu({ wallS, rows }, perThousand) {
  const total = rows.reduce((s, r) => s + r.seconds, 0);
  console.log(`CPU over ${wallS.toFixed(1)} s of traffic (user+system, /proc/<pid>/stat):`);
  console.log('process              CPU s   share   cores' + (perThousand ? `   CPU ms per 1,000 deliveries` : ''));
  for (const r of [...rows, { name: 'all of the above', seconds: total }])
    console.log(
      `${r.name.padEnd(18)} ${r.seconds.toFixed(2).padStart(7)} ${((100 * r.seconds) / (total || 1)).toFixed(1).padStart(6)}% ${(r.seconds / wallS).toFixed(2).padStart(7)}` +
        (perThousand ? `   ${((1e6 * r.seconds) / perThousand).toFixed(1).padStart(10)}` : ''),
    );
}

/** Calls one DevTools protocol method over an open inspector WebSocket. */
function cdp(ws, state, method, params = {}) {
  const id = ++state.id;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) => state.waiting.set(id, { resolve, reject }));
}

/**
 * Profiles a process started with `--inspect=127.0.0.1:<port>`: `start()` begins sampling, `stop(file)`
 * writes a .cpuprofile (open it in Chrome DevTools or speedscope, or bench/profile-summary.mjs).
 */
export async function inspectorProfiler(port) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  const state = { id: 0, waiting: new Map() };
  ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw));
    const w = state.waiting.get(msg.id);
    if (!w) return;
    state.waiting.delete(msg.id);
    if (msg.error) w.reject(new Error(msg.error.message));
    else w.resolve(msg.result);
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  await cdp(ws, state, 'Profiler.enable');
  await cdp(ws, state, 'Profiler.setSamplingInterval', { interval: 1000 });
  return {
    start: () => cdp(ws, state, 'Profiler.start'),
    async stop(file) {
      const { profile } = await cdp(ws, state, 'Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      ws.close();
    },
  };
}
