import type * as Contracts from '@reelroom/contracts';
import type { ChatMessage } from '@reelroom/contracts';

// Mirrors of the contract's constants, typed as the contract's literal types so a change there fails to
// compile here; importing the values would pull zod into the browser bundle (see auth-form.tsx).
export const CHAT_MAX_LENGTH: typeof Contracts.CHAT_MAX_LENGTH = 500;
export const CHAT_HISTORY: typeof Contracts.CHAT_HISTORY = 50;
export const REACTIONS: typeof Contracts.REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;

export const CHAT_EDIT_WINDOW_MS: typeof Contracts.CHAT_EDIT_WINDOW_MS = 15 * 60_000;

/** How long a "typing" signal counts without a refresh from its sender. */
export const TYPING_TTL_MS = 3_000;

const byTime = (a: ChatMessage, b: ChatMessage) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * Merges messages into the list by id (a snapshot after a reconnect overlaps what we have; an update
 * replaces the message), kept in time order and capped so a long session does not grow without bound.
 */
export function mergeMessages(list: ChatMessage[], incoming: ChatMessage[], cap = 500): ChatMessage[] {
  if (incoming.length === 0) return list;
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  const merged = [...byId.values()].sort(byTime);
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}

/** Whether `userId` has reacted with `emoji`. */
export function hasReacted(m: ChatMessage, emoji: string, userId: string): boolean {
  return (m.reactions[emoji] ?? []).includes(userId);
}

/**
 * The message with `userId`'s reaction toggled: what the UI shows at once while the server confirms
 * (its `chat:updated` then replaces the message). Empty reaction lists are dropped.
 */
export function toggleReaction(m: ChatMessage, emoji: string, userId: string): ChatMessage {
  const users = m.reactions[emoji] ?? [];
  const next = users.includes(userId) ? users.filter((u) => u !== userId) : [...users, userId];
  const reactions = { ...m.reactions };
  if (next.length) reactions[emoji] = next;
  else delete reactions[emoji];
  return { ...m, reactions };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a message mentions `name`: "@name" or the plain name, case-insensitive, as a whole word
 * ("Ana" matches "hi ana!" but not "banana"). Names may contain spaces and punctuation.
 */
export function mentions(body: string, name: string): boolean {
  const n = name.trim();
  if (!n) return false;
  // \p{L}\p{N}_ as word characters so accented names work; lookarounds instead of \b (ASCII-only).
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])@?${escapeRe(n)}(?![\\p{L}\\p{N}_])`, 'iu');
  return re.test(body);
}

export interface Typist {
  userId: string;
  name: string;
  /** ms timestamp after which the signal is stale */
  until: number;
}

/** Applies a `chat:typing` event: start (or refresh) with a deadline, or stop. */
export function applyTyping(
  list: Typist[],
  p: { userId: string; name: string; typing: boolean },
  now: number,
  ttl = TYPING_TTL_MS,
): Typist[] {
  const rest = list.filter((t) => t.userId !== p.userId);
  return p.typing ? [...rest, { userId: p.userId, name: p.name, until: now + ttl }] : rest;
}

/** Drops typists whose signal went stale (a sender that closed the tab never says "stopped"). */
export function expireTyping(list: Typist[], now: number): Typist[] {
  const kept = list.filter((t) => t.until > now);
  return kept.length === list.length ? list : kept;
}

/** "Ana is typing…", "Ana and Bo are typing…", "Ana, Bo and 2 others are typing…". */
export function typingLine(list: Typist[], myUserId: string | null): string | null {
  const names = list.filter((t) => t.userId !== myUserId).map((t) => t.name);
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} other${names.length > 3 ? 's' : ''} are typing…`;
}

/**
 * Decides when to tell the server "typing": at most once per `interval` while keys keep coming, and
 * "stopped" after `idle` ms without a key (or on send). Pure: the hook feeds it the clock.
 */
export class TypingThrottle {
  private lastSent = -Infinity;
  private typing = false;

  constructor(
    private readonly interval = 2_000,
    readonly idle = TYPING_TTL_MS,
  ) {}

  /** A key was pressed at `now`: returns true when a `typing: true` should go out. */
  keystroke(now: number): boolean {
    if (this.typing && now - this.lastSent < this.interval) return false;
    this.typing = true;
    this.lastSent = now;
    return true;
  }

  /** Idle timeout or message sent: returns true when a `typing: false` should go out. */
  stop(): boolean {
    if (!this.typing) return false;
    this.typing = false;
    this.lastSent = -Infinity;
    return true;
  }
}

/** Short quoted excerpt of a message for a reply preview. */
export function excerpt(body: string, max = 80): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
