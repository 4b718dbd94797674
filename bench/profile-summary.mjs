#!/usr/bin/env node
// Summarises V8 .cpuprofile files (bench/socket-load.mjs --profile writes them): self time by area (an npm
// package, a folder of apps/api/dist, node's internals, GC, idle) and by function, busiest first.
//
//   node bench/profile-summary.mjs <file.cpuprofile>... [--top=30]
import { readFileSync } from 'node:fs';
import { numberArg } from './lib/measure.mjs';

const TOP = numberArg('top', 30);
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!files.length) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile>... [--top=30]');
  process.exit(1);
}

/** Where a frame's code lives: `pkg:<name>`, `api:<folder>`, `node:<module>`, or V8's own names. */
function area(url, name) {
  if (!url) return `(${name.replace(/[()]/g, '')})`;
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return `pkg:${pkg[1]}`;
  const app = url.match(/apps\/(\w+)\/dist\/([^/]+)\//);
  if (app) return `${app[1]}:${app[2]}`;
  const own = url.match(/packages\/([^/]+)\//);
  if (own) return `@reelroom/${own[1]}`;
  if (url.startsWith('node:')) return url;
  return url.split('/').slice(-2).join('/');
}

const byArea = new Map();
const byFn = new Map();
let totalMs = 0;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  for (const [id, ms] of self) {
    const { callFrame: c } = nodes.get(id);
    const a = area(c.url, c.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + ms);
    const fn = `${c.functionName || '(anonymous)'} ${a}${c.url ? `:${c.lineNumber + 1}` : ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
    totalMs += ms;
  }
}
const busy = totalMs - (byArea.get('(idle)') ?? 0);
const print = (title, map) => {
  console.log(`\n${title} (self ms, share of non-idle time)`);
  for (const [k, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(`${ms.toFixed(0).padStart(8)} ${k === '(idle)' ? '     ' : `${((100 * ms) / busy).toFixed(1).padStart(4)}%`}  ${k}`);
};
console.log(`${files.length} profile(s): ${(totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s not idle`);
print('by area', byArea);
print('by function', byFn);
