import { z } from 'zod';
import { multilineText } from './text.js';

export const CHAT_MAX_LENGTH = 500;
export const CHAT_HISTORY = 50;
/** Reactions are a fixed palette: no arbitrary strings rendered for everyone. */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;

export const chatSendSchema = z.object({
  body: multilineText().trim().min(1).max(CHAT_MAX_LENGTH),
  replyToId: z.string().uuid().optional(),
});
export const chatReactSchema = z.object({ messageId: z.string().uuid(), emoji: z.enum(REACTIONS), on: z.boolean() });
/** Authors may edit their own messages for this long after sending (issue 12). */
export const CHAT_EDIT_WINDOW_MS = 15 * 60_000;
export const chatEditSchema = z.object({
  messageId: z.string().uuid(),
  body: multilineText().trim().min(1, 'Type a message first.').max(CHAT_MAX_LENGTH),
});
export const chatDeleteSchema = z.object({ messageId: z.string().uuid() });
export const chatTypingSchema = z.object({ typing: z.boolean() });

export interface ChatMessage {
  id: string;
  roomId: string;
  /** `system` lines: joins, leaves, playback events ("Ana paused at 12:03"). */
  kind: 'user' | 'system';
  author: { id: string; name: string } | null;
  /** Plain text, rendered as text. Empty when deleted. */
  body: string;
  replyTo: { id: string; authorName: string; excerpt: string } | null;
  /** emoji -> user ids */
  reactions: Record<string, string[]>;
  deleted: boolean;
  createdAt: string;
  /** When the author last edited it (shown as "edited"); null when never. */
  editedAt: string | null;
}
