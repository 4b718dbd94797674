import { parseIp, type IpAddress } from './ip-address.js';

/**
 * Escape hatches for tests, and only for tests: integration tests start media servers on loopback and
 * sign them with their own certificate. Production configuration never sets these; the apps expose them
 * only through an explicitly named test environment variable.
 */
export interface TestOnlyAllowances {
  /** Exact addresses (not ranges) that pass the address policy although they are private or loopback. */
  allowAddresses?: readonly string[];
  /** An extra trusted CA certificate (PEM) for https servers the test starts. Verification stays on. */
  trustedCa?: string;
}

/** What the operator configures for imports by URL. Every field has a safe default. */
export interface FetchPolicy {
  /** Ports a link may use, for http and https alike. Default 80 and 443. */
  allowedPorts: readonly number[];
  maxUrlLength: number;
  /** Redirects followed by hand, each one checked like the first link. Default 5. */
  maxRedirects: number;
  /** From opening the socket to TCP (and TLS) connected; also bounds each DNS look-up. */
  connectTimeoutMs: number;
  /** Longest wait for the next bytes from the server (response headers or body). */
  idleTimeoutMs: number;
  /** The whole operation: every redirect, playlist and segment of one call. */
  totalTimeoutMs: number;
  /** Least time between two progress reports. */
  progressIntervalMs: number;
  userAgent: string;
  testOnly?: TestOnlyAllowances;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  allowedPorts: [80, 443],
  maxUrlLength: 2048,
  maxRedirects: 5,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  totalTimeoutMs: 2 * 60 * 60_000,
  progressIntervalMs: 500,
  userAgent: 'Reelroom-Import/0.1 (+https://github.com/reelroom)',
};

/** The policy with the test-only addresses parsed once. */
export interface ResolvedFetchPolicy extends FetchPolicy {
  allowForTests: readonly IpAddress[];
}

/** Fills in defaults and refuses a nonsensical configuration at start-up rather than at the first import. */
export function resolveFetchPolicy(overrides: Partial<FetchPolicy> = {}): ResolvedFetchPolicy {
  const policy: FetchPolicy = { ...DEFAULT_FETCH_POLICY, ...overrides };
  const problems: string[] = [];
  if (policy.allowedPorts.length === 0) problems.push('allowedPorts is empty');
  for (const p of policy.allowedPorts) if (!Number.isInteger(p) || p < 1 || p > 65_535) problems.push(`allowedPorts has ${p}`);
  for (const key of ['maxUrlLength', 'connectTimeoutMs', 'idleTimeoutMs', 'totalTimeoutMs'] as const) {
    if (!(policy[key] > 0)) problems.push(`${key} must be positive`);
  }
  if (!Number.isInteger(policy.maxRedirects) || policy.maxRedirects < 0) problems.push('maxRedirects must be a whole number >= 0');
  if (!(policy.progressIntervalMs >= 0)) problems.push('progressIntervalMs must be >= 0');
  const allowForTests: IpAddress[] = [];
  for (const a of policy.testOnly?.allowAddresses ?? []) {
    const ip = parseIp(a);
    if (ip) allowForTests.push(ip);
    else problems.push(`testOnly.allowAddresses has "${a}", which is not an IP address`);
  }
  if (problems.length > 0) throw new Error(`Invalid fetch policy: ${problems.join('; ')}`);
  return { ...policy, allowForTests };
}
