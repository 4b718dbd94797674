import { expect } from 'vitest';

/**
 * Polls `fn` until the matcher that follows passes (every 100 ms, up to `timeout`). expect.poll gives
 * up after 1 s by default; sign-in redirects, socket handshakes and transcodes take longer.
 */
export const eventually = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });

/**
 * Does `act` now and every `everyMs` until `done` settles, the way a client repeats a report until the
 * server acts on it; resolves or rejects with `done`, or rejects after `timeoutMs`.
 */
export async function repeatUntil<T>(done: Promise<T>, act: () => void, { everyMs = 500, timeoutMs = 10_000 } = {}): Promise<T> {
  let repeat: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => reject(new Error(`no answer after repeating for ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    act();
    repeat = setInterval(act, everyMs);
    return await Promise.race([done, timedOut]);
  } finally {
    clearInterval(repeat);
    clearTimeout(deadline);
  }
}

/**
 * Calls `check` every `intervalMs` until it returns true; throws `message` after `timeoutMs`. For
 * hooks (beforeAll, afterAll), where expect.poll cannot be used.
 */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  message: string,
  { timeoutMs = 10_000, intervalMs = 100 } = {},
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${message} (after ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
