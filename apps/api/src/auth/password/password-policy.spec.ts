import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD } from '@reelroom/contracts';
import { assertPasswordAcceptable, isCommonPassword, passwordStems } from './password-policy.js';

describe('password policy', () => {
  it('finds common passwords behind case, swapped letters and added digits or symbols', () => {
    for (const p of ['password', 'Password1', 'P@ssw0rd!', 'letmein2024', '!!Dragon99', 'Sunshine!', 'qwerty123', 'iloveyou'])
      expect(isCommonPassword(p), p).toBe(true);
    for (const p of ['correct horse battery', 'another password', 'Tr0ub4dor&3-river']) expect(isCommonPassword(p), p).toBe(false);
    expect(passwordStems('P@ssw0rd!')).toContain('password');
  });

  it('refuses with a sentence that helps: the rule that was broken, else the common list', () => {
    const refusal = (p: string, ctx = {}) => {
      try {
        assertPasswordAcceptable(p, ctx);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(BadRequestException);
        return (err as BadRequestException).message;
      }
    };
    expect(refusal('password')).toBe(COMMON_PASSWORD);
    expect(refusal('aaaaaaaa')).toMatch(/one character repeated/);
    expect(refusal('ana.lopez@x.test', { email: 'ana.lopez@x.test' })).toMatch(/email/);
    expect(refusal('correct horse battery', { email: 'a@x.test' })).toBeNull();
  });
});
