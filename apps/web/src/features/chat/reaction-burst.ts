import type { ChatMessage } from '@reelroom/contracts';

/** The messages seen, and how many people reacted with each emoji on each ("messageId emoji" -> count). */
export interface ReactionCounts {
  messages: ReadonlySet<string>;
  counts: ReadonlyMap<string, number>;
}

export function reactionCounts(messages: readonly ChatMessage[]): ReactionCounts {
  const counts = new Map<string, number>();
  for (const m of messages) for (const [emoji, users] of Object.entries(m.reactions)) counts.set(`${m.id} ${emoji}`, users.length);
  return { messages: new Set(messages.map((m) => m.id)), counts };
}

/**
 * The reactions added since `before` (one entry per new reacting person), to float over the video.
 * Reactions taken back, and messages that only appear now (the snapshot on joining), float nothing.
 */
export function newReactions(before: ReactionCounts, after: ReactionCounts): string[] {
  const burst: string[] = [];
  for (const [key, count] of after.counts) {
    const space = key.indexOf(' ');
    if (!before.messages.has(key.slice(0, space))) continue;
    const added = count - (before.counts.get(key) ?? 0);
    for (let i = 0; i < added; i += 1) burst.push(key.slice(space + 1));
  }
  return burst;
}
