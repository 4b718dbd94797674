import type { ImportSettings } from './import.js';

/**
 * The @reelroom/fetch policy (a Partial<FetchPolicy>, structurally) from the import settings: the API's
 * link check and the transcoder's import worker build it the same way from the same variables.
 */
export function importFetchPolicy(s: ImportSettings): {
  allowedPorts: readonly number[];
  maxRedirects: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  testOnly?: { allowAddresses: readonly string[] };
} {
  return {
    allowedPorts: s.allowedPorts,
    maxRedirects: s.maxRedirects,
    connectTimeoutMs: s.connectTimeoutMs,
    idleTimeoutMs: s.idleTimeoutMs,
    totalTimeoutMs: s.totalTimeoutMs,
    // Only ever non-empty with NODE_ENV=test (both configs refuse it otherwise).
    ...(s.testAllowAddresses.length > 0 && { testOnly: { allowAddresses: s.testAllowAddresses } }),
  };
}
