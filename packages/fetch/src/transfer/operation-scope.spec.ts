import { describe, expect, it } from 'vitest';
import { OperationScope } from './operation-scope.js';

describe('OperationScope', () => {
  it('turns the caller abort into a cancel', () => {
    const caller = new AbortController();
    const scope = new OperationScope(60_000, caller.signal);
    expect(scope.failure).toBeNull();
    caller.abort();
    expect(scope.signal.aborted).toBe(true);
    expect(scope.failure).toMatchObject({ code: 'cancelled', userMessage: 'The import was cancelled.' });
    scope.dispose();
  });

  it('ends with a total timeout', async () => {
    const scope = new OperationScope(5);
    await expect(scope.race(new Promise(() => {}))).rejects.toMatchObject({ code: 'total-timeout' });
    scope.dispose();
  });

  it('starts cancelled when the caller already gave up', () => {
    const scope = new OperationScope(60_000, AbortSignal.abort());
    expect(() => scope.throwIfEnded()).toThrow('The import was cancelled.');
    scope.dispose();
  });

  it('passes a settled promise through', async () => {
    const scope = new OperationScope(60_000);
    await expect(scope.race(Promise.resolve(7))).resolves.toBe(7);
    await expect(scope.race(Promise.reject(new Error('dns')))).rejects.toThrow('dns');
    scope.dispose();
  });
});
