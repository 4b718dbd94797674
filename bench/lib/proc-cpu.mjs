// CPU time of a process from /proc (Linux): what one ffmpeg costs, independent of how loaded the machine is.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** /proc/<pid>/stat's fields after the command name (which may hold spaces): [state, ppid, ...]. */
const statFields = (pid) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};

/** User + system CPU seconds the process has used so far, or null when it is gone. */
export function cpuSeconds(pid) {
  try {
    const f = statFields(pid);
    // utime and stime are fields 14 and 15 of stat; here (counted from the state, field 3) 11 and 12.
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
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
