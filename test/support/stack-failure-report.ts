import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { noteworthyLines } from './log-lines.js';
import { runningStackLogs } from './stack.js';

/**
 * When an integration or e2e test fails, prints the warnings, errors and 5xx answers the stack's
 * processes logged (the logs go with the stack's folder when the file ends): a CI run's "500" then comes
 * with the API's own line about it, not only with the status the test saw.
 */
afterEach((context) => {
  if (context.task.result?.state !== 'fail') return;
  for (const dir of runningStackLogs) {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.log'));
    } catch {
      continue;
    }
    for (const file of files) {
      const lines = noteworthyLines(readFileSync(join(dir, file), 'utf8'));
      if (lines.length)
        console.warn([`[stack failure] ${file}: the last warnings, errors and 5xx`, ...lines.map((l) => `  ${l}`)].join('\n'));
    }
  }
});
