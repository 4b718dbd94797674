import { describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_POLICY, resolveFetchPolicy } from './fetch-policy.js';

describe('resolveFetchPolicy', () => {
  it('defaults to the usual web ports, 5 redirects and no test allowances', () => {
    const p = resolveFetchPolicy();
    expect(p.allowedPorts).toEqual([80, 443]);
    expect(p.maxRedirects).toBe(5);
    expect(p.allowForTests).toEqual([]);
    expect(p.testOnly).toBeUndefined();
    expect(p).toMatchObject(DEFAULT_FETCH_POLICY);
  });

  it('parses the test-only addresses', () => {
    expect(resolveFetchPolicy({ testOnly: { allowAddresses: ['127.0.0.1'] } }).allowForTests).toEqual([{ family: 4, value: 0x7f000001n }]);
  });

  it('refuses a broken configuration with every problem listed', () => {
    expect(() =>
      resolveFetchPolicy({ allowedPorts: [0, 70000], idleTimeoutMs: 0, maxRedirects: -1, testOnly: { allowAddresses: ['127.0.0.0/8'] } }),
    ).toThrow(
      'Invalid fetch policy: allowedPorts has 0; allowedPorts has 70000; idleTimeoutMs must be positive; maxRedirects must be a whole number >= 0; testOnly.allowAddresses has "127.0.0.0/8", which is not an IP address',
    );
    expect(() => resolveFetchPolicy({ allowedPorts: [] })).toThrow('allowedPorts is empty');
  });
});
