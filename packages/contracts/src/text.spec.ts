import { describe, expect, it } from 'vitest';
import { loginBodySchema, registerBodySchema } from './auth.js';
import { chatSendSchema } from './chat.js';
import { passwordWeakness } from './password-policy.js';
import { createRoomBodySchema, guestJoinBodySchema, joinRoomBodySchema, updateRoomBodySchema } from './rooms.js';
import { nameText } from './text.js';

const issues = (r: { success: boolean; error?: { issues: Array<{ message: string }> } }) => r.error?.issues.map((i) => i.message) ?? [];

describe('text fields', () => {
  it('refuses a NUL byte and other control characters in every text field', () => {
    const nul = 'a\u0000b';
    expect(issues(registerBodySchema.safeParse({ email: 'a@x.test', password: `pass${nul}word!`, displayName: 'A' }))).toContain(
      'must not contain control characters',
    );
    expect(registerBodySchema.safeParse({ email: 'a@x.test', password: 'long enough', displayName: nul }).success).toBe(false);
    expect(loginBodySchema.safeParse({ email: `a${nul}@x.test`, password: 'x' }).success).toBe(false);
    expect(loginBodySchema.safeParse({ email: 'a@x.test', password: `x\u001b` }).success).toBe(false);
    expect(createRoomBodySchema.safeParse({ name: nul }).success).toBe(false);
    expect(updateRoomBodySchema.safeParse({ name: 'x\u0085' }).success).toBe(false);
    expect(guestJoinBodySchema.safeParse({ displayName: 'Gus', pin: `12${nul}` }).success).toBe(false);
    expect(joinRoomBodySchema.safeParse({ pin: `\u0007` }).success).toBe(false);
    expect(chatSendSchema.safeParse({ body: nul }).success).toBe(false);
    expect(chatSendSchema.safeParse({ body: 'bell\u0007' }).success).toBe(false);
  });

  it('keeps tabs and line breaks in chat, not in names', () => {
    expect(chatSendSchema.parse({ body: 'line one\nline\ttwo' }).body).toBe('line one\nline\ttwo');
    expect(createRoomBodySchema.safeParse({ name: 'two\nlines' }).success).toBe(false);
  });

  it('refuses zero-width and bidirectional characters in names, and normalises them to NFC', () => {
    for (const trick of ['Alice\u202e)tsoh(', 'Al\u200bice', 'Alice\u2066', '\ufeffAlice', 'Ali\u00adce', 'A\u200d']) {
      expect(issues(guestJoinBodySchema.safeParse({ displayName: trick }))).toContain(
        'must not contain invisible or text-direction characters',
      );
    }
    expect(createRoomBodySchema.safeParse({ name: 'Movie\u200fnight' }).success).toBe(false);
    const decomposed = 'Re\u0301my';
    expect(nameText(40).parse(`  ${decomposed} `)).toBe('Rémy');
    expect(nameText(40).parse('Zoë 🎬 北京')).toBe('Zoë 🎬 北京');
    expect(nameText(3).safeParse('   ').success).toBe(false);
  });
});

describe(passwordWeakness.name, () => {
  it('names what makes a password trivial', () => {
    expect(passwordWeakness('aaaaaaaa')).toMatch(/one character repeated/);
    expect(passwordWeakness('abcabcabc')).toMatch(/repeats a short pattern/);
    expect(passwordWeakness('12345678')).toMatch(/sequence/);
    expect(passwordWeakness('87654321')).toMatch(/sequence/);
    expect(passwordWeakness('qwertyuiop')).toMatch(/sequence/);
    expect(passwordWeakness('aabbaabb')).toMatch(/repeats/);
    expect(passwordWeakness('abababcc')).toMatch(/fewer than 4/);
    expect(passwordWeakness('ana@x.test', { email: 'Ana@x.test' })).toMatch(/email/);
    expect(passwordWeakness('anakarenina', { email: 'anakarenina@x.test' })).toMatch(/email/);
    expect(passwordWeakness('Movie Buff', { displayName: 'movie buff' })).toMatch(/display name/);
  });

  it('has nothing against a passphrase', () => {
    expect(passwordWeakness('correct horse battery', { email: 'a@x.test', displayName: 'A' })).toBeNull();
  });
});
