import type { ChatMessage } from '@reelroom/contracts';
import { describe, expect, it } from 'vitest';
import { newReactions, reactionCounts } from './reaction-burst';

const message = (id: string, reactions: Record<string, string[]>): ChatMessage => ({
  id,
  roomId: 'room',
  kind: 'user',
  author: { id: 'u1', name: 'Ana' },
  body: 'hi',
  replyTo: null,
  reactions,
  deleted: false,
  editedAt: null,
  createdAt: '2026-12-06T00:00:00.000Z',
});

describe(newReactions.name, () => {
  it('floats one emoji per person who reacted since the last look', () => {
    const before = reactionCounts([message('a', {}), message('b', { '👍': ['u1'] })]);
    const after = reactionCounts([message('a', { '🎉': ['u2'] }), message('b', { '👍': ['u1', 'u2', 'u3'] })]);
    expect(newReactions(before, after).sort()).toEqual(['👍', '👍', '🎉'].sort());
  });

  it('floats nothing for reactions taken back or for messages seen for the first time', () => {
    const before = reactionCounts([message('a', { '😂': ['u1', 'u2'] })]);
    const after = reactionCounts([message('a', { '😂': ['u1'] }), message('new', { '❤️': ['u1', 'u2'] })]);
    expect(newReactions(before, after)).toEqual([]);
  });
});
