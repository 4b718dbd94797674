/** How many lines of each process's log a failure prints at most. */
const LINES_PER_LOG = 15;

/**
 * Pure: what in a process's JSON log explains a failure: warnings and errors (pino level 40 and up) and
 * requests answered 5xx, newest last, each cut to 500 characters.
 */
export function noteworthyLines(log: string, max = LINES_PER_LOG): string[] {
  const picked: string[] = [];
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; status?: number };
      if ((entry.level ?? 0) >= 40 || (entry.status ?? 0) >= 500) picked.push(line.slice(0, 500));
    } catch {
      // A line cut by a crash: not JSON, nothing to show.
    }
  }
  return picked.slice(-max);
}
