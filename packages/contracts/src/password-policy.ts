/*
 * The password rules a person can be told about, shared by the web register form (shown as they type)
 * and the API (enforced). The API also refuses every password on its list of commonly used ones
 * (apps/api/src/auth/common-passwords.txt), which is too big to ship to the browser.
 */

/** Keyboard and alphabet runs: a password made of a stretch of one of these is trivially guessed. */
const RUNS = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'azertyuiop'];

/** True when `s` (at least 3 characters) is a stretch of a run, forwards or backwards ("abcdefgh", "87654321"). */
function isRun(s: string): boolean {
  if (s.length < 3) return false;
  return RUNS.some((run) => run.includes(s) || [...run].reverse().join('').includes(s));
}

/** True when `s` is one short piece repeated ("abcabcabc", "12121212", "aaaaaaaa"). */
function isRepeat(s: string): boolean {
  for (let n = 1; n <= s.length / 2; n++) {
    if (s.length % n === 0 && s.slice(0, n).repeat(s.length / n) === s) return true;
  }
  return false;
}

/**
 * Why this password is too easy to guess, as a sentence for the person choosing it, or null when the
 * rules have nothing against it. `email` and `displayName`, when known, must not be the password.
 */
export function passwordWeakness(password: string, context: { email?: string; displayName?: string } = {}): string | null {
  const p = password.toLowerCase();
  if (new Set(p).size === 1) return 'That password is one character repeated; choose something less predictable.';
  if (isRepeat(p)) return 'That password repeats a short pattern; choose something less predictable.';
  if (isRun(p)) return 'That password is a keyboard or alphabet sequence; choose something less predictable.';
  if (new Set(p).size < 4) return 'That password uses fewer than 4 different characters; mix in more.';
  const email = context.email?.trim().toLowerCase();
  if (email && (p === email || p === email.split('@')[0])) return 'Your password must not be your email address.';
  const name = context.displayName?.trim().toLowerCase();
  if (name && p === name) return 'Your password must not be your display name.';
  return null;
}

/** The sentence for a password found on the list of commonly used ones. */
export const COMMON_PASSWORD = 'That password is one of the most commonly used ones, which are tried first; choose another.';
