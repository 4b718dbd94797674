// Small helpers the benches share: numeric flags, percentiles, formatting, bounded concurrency, log lines.

/** `--name=<number>` from the command line, or `fallback`. */
export const numberArg = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);

/** The p-th percentile of an ascending array (nearest rank), NaN when empty. */
export const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** The median of numbers in any order (the mean of the middle two for an even count), NaN when empty. */
export const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One decimal, or '-' for a missing value. */
export const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');

/** A console line with the wall-clock time. */
export const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...a);

/** Runs fn(0..n-1) with at most `concurrency` at once; resolves with the results in order. */
export async function pool(n, concurrency, fn) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}
