import { useEffect, useRef, useState } from 'react';
import type { ChatMessage } from '@reelroom/contracts';
import { newReactions, reactionCounts, type ReactionCounts } from './reaction-burst';

/** More at once would cover the picture: the rest of a burst is dropped. */
const MAX_FLOATING = 12;

interface Floating {
  id: number;
  emoji: string;
  /** Horizontal position, percent of the stage width. */
  left: number;
}

/**
 * Chat reactions float up over the video as they arrive, so people watching (in fullscreen too) see the
 * room react without reading the chat. Decorative: hidden from screen readers (the chat lists them).
 */
export function FloatingReactions({ messages }: { messages: readonly ChatMessage[] }) {
  const seen = useRef<ReactionCounts | null>(null);
  const nextId = useRef(0);
  const [floating, setFloating] = useState<Floating[]>([]);

  useEffect(() => {
    const now = reactionCounts(messages);
    const burst = seen.current ? newReactions(seen.current, now) : [];
    seen.current = now;
    if (burst.length === 0) return;
    const added = burst.map((emoji) => ({ id: (nextId.current += 1), emoji, left: 60 + Math.random() * 32 }));
    setFloating((list) => [...list, ...added].slice(-MAX_FLOATING));
  }, [messages]);

  return (
    <div className="floating-reactions" aria-hidden="true" data-testid="floating-reactions">
      {floating.map((f) => (
        <span
          key={f.id}
          className="floating-reaction"
          style={{ left: `${f.left}%` }}
          // Each leaves when its float (CSS animation) is over.
          onAnimationEnd={() => setFloating((list) => list.filter((x) => x.id !== f.id))}
        >
          {f.emoji}
        </span>
      ))}
    </div>
  );
}
