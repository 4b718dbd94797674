import { describe, expect, it } from 'vitest';
import { FetchError } from './fetch.error.js';

describe('FetchError', () => {
  it('carries the code, the sentence for people and the detail for logs', () => {
    const e = new FetchError('forbidden-address', 'That address is on a private network.', 'x.test -> 10.0.0.1: private 10.0.0.0/8');
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('forbidden-address');
    expect(e.userMessage).toBe('That address is on a private network.');
    expect(e.message).toBe('That address is on a private network. (x.test -> 10.0.0.1: private 10.0.0.0/8)');
  });

  it('marks link problems permanent and network trouble retryable', () => {
    expect(new FetchError('forbidden-address', 'x').permanent).toBe(true);
    expect(new FetchError('too-large', 'x').permanent).toBe(true);
    expect(new FetchError('idle-timeout', 'x').permanent).toBe(false);
    expect(new FetchError('connection-failed', 'x').permanent).toBe(false);
  });
});
