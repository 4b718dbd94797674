import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@reelroom/contracts';
import { applyTyping, excerpt, expireTyping, mentions, mergeMessages, toggleReaction, typingLine, TypingThrottle } from './chat-store';

const msg = (id: string, at: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  roomId: 'r',
  kind: 'user',
  author: { id: 'u1', name: 'Ana' },
  body: `message ${id}`,
  replyTo: null,
  reactions: {},
  deleted: false,
  createdAt: new Date(1_700_000_000_000 + at * 1000).toISOString(),
  editedAt: null,
  ...over,
});

describe(mergeMessages.name, () => {
  it('merges an overlapping snapshot by id without duplicates, in time order', () => {
    const list = [msg('a', 1), msg('b', 2)];
    const merged = mergeMessages(list, [msg('c', 3), msg('b', 2), msg('0', 0)]);
    expect(merged.map((m) => m.id)).toEqual(['0', 'a', 'b', 'c']);
  });

  it('replaces a message with its update (reactions, deletion)', () => {
    const list = [msg('a', 1), msg('b', 2)];
    const merged = mergeMessages(list, [msg('a', 1, { deleted: true, body: '' })]);
    expect(merged[0]).toMatchObject({ id: 'a', deleted: true, body: '' });
    expect(merged).toHaveLength(2);
  });

  it('keeps only the newest messages past the cap', () => {
    const merged = mergeMessages([], [msg('a', 1), msg('b', 2), msg('c', 3)], 2);
    expect(merged.map((m) => m.id)).toEqual(['b', 'c']);
  });

  it('returns the same list when nothing comes in (no needless re-render)', () => {
    const list = [msg('a', 1)];
    expect(mergeMessages(list, [])).toBe(list);
  });
});

describe(toggleReaction.name, () => {
  it('adds my reaction, then removes it, dropping the empty emoji', () => {
    const m = msg('a', 1, { reactions: { '❤️': ['u2'] } });
    const on = toggleReaction(m, '👍', 'u1');
    expect(on.reactions).toEqual({ '❤️': ['u2'], '👍': ['u1'] });
    const off = toggleReaction(on, '👍', 'u1');
    expect(off.reactions).toEqual({ '❤️': ['u2'] });
  });

  it("leaves other people's reactions on the same emoji alone", () => {
    const m = msg('a', 1, { reactions: { '👍': ['u2', 'u1'] } });
    expect(toggleReaction(m, '👍', 'u1').reactions).toEqual({ '👍': ['u2'] });
    expect(m.reactions['👍']).toEqual(['u2', 'u1']);
  });
});

describe(mentions.name, () => {
  it('matches @name and the plain name, case-insensitively', () => {
    expect(mentions('hey @alice look', 'Alice')).toBe(true);
    expect(mentions('ALICE, look', 'Alice')).toBe(true);
    expect(mentions('thanks alice!', 'Alice')).toBe(true);
  });

  it('does not match the name inside another word', () => {
    expect(mentions('banana bread', 'Ana')).toBe(false);
    expect(mentions('Anabel is here', 'Ana')).toBe(false);
    expect(mentions('email ana@x', 'Ana')).toBe(true);
  });

  it('handles names with spaces, regex characters and accents', () => {
    expect(mentions('hi @Mary Jane!', 'Mary Jane')).toBe(true);
    expect(mentions('go c++ fan', 'c++ fan')).toBe(true);
    expect(mentions('merci José', 'josé')).toBe(true);
    expect(mentions('Josély', 'José')).toBe(false);
    expect(mentions('anything', '  ')).toBe(false);
  });
});

describe('typing indicator', () => {
  it('shows a typist until their signal expires, and refreshes the deadline on a new signal', () => {
    let list = applyTyping([], { userId: 'u2', name: 'Bo', typing: true }, 1_000, 3_000);
    expect(typingLine(expireTyping(list, 3_999), 'me')).toBe('Bo is typing…');
    list = applyTyping(list, { userId: 'u2', name: 'Bo', typing: true }, 3_500, 3_000);
    expect(expireTyping(list, 4_001)).toHaveLength(1);
    expect(expireTyping(list, 6_500)).toEqual([]);
  });

  it('removes a typist who stops, and never shows me typing to myself', () => {
    let list = applyTyping([], { userId: 'u2', name: 'Bo', typing: true }, 0);
    list = applyTyping(list, { userId: 'me', name: 'Me', typing: true }, 0);
    expect(typingLine(list, 'me')).toBe('Bo is typing…');
    list = applyTyping(list, { userId: 'u2', name: 'Bo', typing: false }, 10);
    expect(typingLine(list, 'me')).toBeNull();
  });

  it('names two typists, then summarises more', () => {
    const list = ['Ana', 'Bo', 'Cy', 'Di'].map((name, i) => ({ userId: `u${i}`, name, until: 10 }));
    expect(typingLine(list.slice(0, 2), null)).toBe('Ana and Bo are typing…');
    expect(typingLine(list, null)).toBe('Ana, Bo and 2 others are typing…');
  });
});

describe(TypingThrottle.name, () => {
  it('sends "typing" once per interval while keys keep coming, and "stopped" once', () => {
    const t = new TypingThrottle(2_000);
    expect(t.keystroke(0)).toBe(true);
    expect(t.keystroke(500)).toBe(false);
    expect(t.keystroke(1_999)).toBe(false);
    expect(t.keystroke(2_000)).toBe(true);
    expect(t.stop()).toBe(true);
    expect(t.stop()).toBe(false);
    expect(t.keystroke(2_100)).toBe(true);
  });
});

describe(excerpt.name, () => {
  it('flattens whitespace and cuts long text with an ellipsis', () => {
    expect(excerpt('a\n  b')).toBe('a b');
    expect(excerpt('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
