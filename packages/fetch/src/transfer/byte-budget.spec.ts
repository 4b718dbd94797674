import { describe, expect, it } from 'vitest';
import { FetchError } from '../fetch.error.js';
import { ByteBudget } from './byte-budget.js';

describe('ByteBudget', () => {
  it('counts up to the limit exactly and refuses one byte more without counting it', () => {
    const b = new ByteBudget(100, 'upload-limit');
    b.take(60);
    b.take(40);
    expect(b.remaining).toBe(0);
    expect(() => b.take(1)).toThrow(FetchError);
    expect(b.bytes).toBe(100);
  });

  it('refuses a declared length above what is left, and ignores a missing one', () => {
    const b = new ByteBudget(1024, 'quota');
    b.take(24);
    expect(() => b.checkDeclared(null)).not.toThrow();
    expect(() => b.checkDeclared(1000)).not.toThrow();
    let caught: unknown;
    try {
      b.checkDeclared(1001);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({
      code: 'too-large',
      userMessage: 'The file is larger than 1 KiB, the space left in your storage quota.',
    });
  });

  it('refuses a negative limit', () => {
    expect(() => new ByteBudget(-1, 'upload-limit')).toThrow();
  });
});
