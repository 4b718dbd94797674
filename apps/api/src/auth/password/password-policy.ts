import { BadRequestException } from '@nestjs/common';
import { COMMON_PASSWORD, passwordWeakness } from '@reelroom/contracts';
import { COMMON_PASSWORD_STEMS } from './common-passwords.js';

const COMMON = new Set(COMMON_PASSWORD_STEMS);

// Letter-for-symbol swaps people make to "strengthen" a word ("p@ssw0rd"): undone before the look-up.
const SWAPS: Record<string, string> = { '@': 'a', '4': 'a', '8': 'b', '3': 'e', '1': 'i', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't' };

/**
 * The forms of a password that are looked up: as typed (lower case); with its leading and trailing
 * digits and symbols removed ("Password123!" -> "password"); and that core with swaps undone.
 */
export function passwordStems(password: string): string[] {
  const lower = password.toLowerCase().normalize('NFC');
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unswapped = core.replace(/[@483105$!7]/g, (c) => SWAPS[c] ?? c);
  return [...new Set([lower, core, unswapped].filter((s) => s.length > 0))];
}

/** True when the password, or its stem, is on the list of commonly used ones. */
export const isCommonPassword = (password: string): boolean => passwordStems(password).some((s) => COMMON.has(s));

/**
 * Refuses a password that is easy to guess with a 400 that says why: the shared rules (repeats,
 * sequences, the email or the name) first, then the list of common passwords. Only new passwords are
 * judged; signing in with an old weak one still works.
 */
export function assertPasswordAcceptable(password: string, context: { email?: string; displayName?: string }): void {
  const weakness = passwordWeakness(password, context) ?? (isCommonPassword(password) ? COMMON_PASSWORD : null);
  if (weakness) throw new BadRequestException(weakness);
}
