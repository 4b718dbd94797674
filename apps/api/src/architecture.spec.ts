import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The module rules of apps/api, checked on the import statements (no tool needed):
 * - no import cycle between feature folders (rooms -> chat -> rooms, media <-> hls, ...);
 * - realtime depends on the features it serves, never the reverse: only the composition root
 *   (app.module.ts) imports from realtime/; features reach sockets through common/ports.
 * Unit specs and src/testing (fakes) are not production code and are left out.
 */

const SRC = import.meta.dirname;
const ROOT = '(root)';

/** Relative import specifiers of a TypeScript source: static, re-exports, side-effect and dynamic imports. */
export function relativeImports(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1].startsWith('.')) out.push(m[1]);
  return out;
}

/** The top folder of a file under src (`rooms/x.ts` -> rooms), or (root) for files directly in src. */
const folderOf = (relPath: string): string => (relPath.includes('/') ? relPath.split('/')[0] : ROOT);

/** Folder -> folders it imports from, given file path (relative to src, '/'-separated) -> source. */
export function folderGraph(files: Map<string, string>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [path, source] of files) {
    const from = folderOf(path);
    const deps = graph.get(from) ?? new Set<string>();
    graph.set(from, deps);
    for (const spec of relativeImports(source)) {
      const target = join(dirname(path), spec).split(sep).join('/');
      if (target.startsWith('..')) continue; // outside src: not a folder of ours
      const to = folderOf(target);
      if (to !== from) deps.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders (Tarjan's strongly connected components of size > 1, plus self-loops). */
export function folderCycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

function productionSources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = resolve(dir, e.name);
      const rel = relative(SRC, full).split(sep).join('/');
      if (e.isDirectory()) {
        if (rel !== 'testing') walk(full);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) {
        files.set(rel, readFileSync(full, 'utf8'));
      }
    }
  };
  walk(SRC);
  return files;
}

describe('apps/api module structure', () => {
  const graph = folderGraph(productionSources());

  it('has no import cycle between folders', () => {
    expect(folderCycles(graph)).toEqual([]);
  });

  it('lets only the composition root import realtime: features reach sockets through the RoomBroadcaster port', () => {
    const importers = [...graph.entries()].filter(([, deps]) => deps.has('realtime')).map(([folder]) => folder);
    expect(importers).toEqual([ROOT]);
    expect(graph.get('common')).toEqual(new Set());
  });

  it('reads the graph it checks: the folders and edges the rules are about are there', () => {
    for (const f of ['auth', 'rooms', 'chat', 'playback', 'media', 'hls', 'uploads', 'realtime', 'storage', 'redis'])
      expect(graph.has(f), f).toBe(true);
    expect([...graph.get('realtime')!]).toEqual(expect.arrayContaining(['rooms', 'chat', 'playback', 'common']));
    expect(graph.get('hls')!.has('media')).toBe(true);
  });

  it('finds a cycle when there is one (so the check above can fail)', () => {
    const files = new Map([
      ['rooms/rooms.service.ts', "import { ChatService } from '../chat/chat.service.js';"],
      ['chat/chat.service.ts', "import type { RoomRole } from '../media/x.js';\nexport { a } from './local.js';"],
      ['media/x.ts', "const m = await import('../rooms/rooms.service.js');"],
      ['hls/h.ts', "import '../media/x.js';"],
    ]);
    expect(folderCycles(folderGraph(files))).toEqual([['chat', 'media', 'rooms']]);
    expect(relativeImports("import {\n  a,\n  b,\n} from './multi-line.js';\nimport x from 'zod';")).toEqual(['./multi-line.js']);
  });
});
