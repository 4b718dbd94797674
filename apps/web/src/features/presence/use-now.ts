import { useEffect, useState } from 'react';

/** setTimeout fires at once for delays past 2^31 - 1 ms; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The current time for rendering, kept as state so that rendering stays pure: read on mount, and read
 * again at the first of `changesAt` (epoch ms: the moments the rendering depends on, such as when a
 * mute ends) that is still ahead, so what depends on the time changes right then.
 */
export function useNow(changesAt: readonly number[]): number {
  const [now, setNow] = useState(() => Date.now());
  const next = Math.min(...changesAt.filter((t) => t > now));
  useEffect(() => {
    if (next === Infinity) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now())));
    return () => clearTimeout(timer);
  }, [next, now]);
  return now;
}
