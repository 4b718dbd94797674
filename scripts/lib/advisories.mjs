// Offline dependency check, the pure part: version ranges and the lockfile walk (scripts/check-deps.mjs
// is the command). Ranges are npm's simple form, enough for advisories: comparators on x.y.z joined by
// spaces (and) and `||` (or). A pre-release (1.2.3-beta) compares as its x.y.z, erring on flagging it.

/** [major, minor, patch] of `1.2.3`, `v1.2.3` or `1.2.3-rc.1`; null for anything else. */
export function parseVersion(v) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(v).trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** Does `version` fall in `range`? Throws on a range it cannot read (a broken advisories file must fail). */
export function satisfies(version, range) {
  const v = parseVersion(version);
  if (!v) return false;
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        const m = /^(<=|>=|<|>|=)?(v?\d+\.\d+\.\d+)$/.exec(comparator);
        if (!m) throw new Error(`cannot read the version range "${range}" (at "${comparator}")`);
        const c = compare(v, parseVersion(m[2]));
        switch (m[1] ?? '=') {
          case '<':
            return c < 0;
          case '<=':
            return c <= 0;
          case '>':
            return c > 0;
          case '>=':
            return c >= 0;
          default:
            return c === 0;
        }
      }),
  );
}

/** Every installed package of an npm lockfile (v2/v3 `packages`): name, version and where it sits. */
export function installedPackages(lock) {
  const out = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    const i = path.lastIndexOf('node_modules/');
    if (i < 0 || !entry?.version || entry.link) continue;
    out.push({ name: entry.name ?? path.slice(i + 'node_modules/'.length), version: entry.version, path });
  }
  return out;
}

/** The installed packages that an advisory names: `{ name, version, path, advisory }` for each. */
export function findVulnerable(lock, advisories) {
  const found = [];
  for (const pkg of installedPackages(lock)) {
    for (const advisory of advisories) {
      if (advisory.package === pkg.name && satisfies(pkg.version, advisory.vulnerable)) found.push({ ...pkg, advisory });
    }
  }
  return found;
}
