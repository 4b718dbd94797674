export interface ChatRowCore {
  id: string;
  roomId: string;
  kind: 'user' | 'system';
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export interface ChatRow extends ChatRowCore {
  author: { id: string; displayName: string } | null;
  replyTo: { id: string; body: string; deletedAt: Date | null; author: { displayName: string } | null } | null;
  reactions: Array<{ userId: string; emoji: string }>;
}

/** Chat messages and reactions as ChatService needs them (PrismaChatRepository in production). */
export abstract class ChatRepository {
  /** Inserts a message; returns its own columns (the caller knows the author and the reply target). */
  abstract insert(data: {
    roomId: string;
    authorId: string | null;
    kind: 'user' | 'system';
    body: string;
    replyToId?: string;
  }): Promise<ChatRowCore>;
  abstract find(id: string): Promise<ChatRow | null>;
  /** The last `limit` messages, oldest first. */
  abstract lastN(roomId: string, limit: number): Promise<ChatRow[]>;
  abstract setReaction(messageId: string, userId: string, emoji: string, on: boolean): Promise<void>;
  /**
   * Rewrites a system line's text (a folded burst of playback lines) only while it is still the room's
   * latest message, in one step; returns the rewritten row, or null when a newer message came first.
   */
  abstract foldBody(roomId: string, id: string, body: string): Promise<ChatRow | null>;
  /** The author's edit: the new body and when (shown as "edited"). */
  abstract edit(id: string, body: string, editedAt: Date): Promise<void>;
  /** Empties the body and sets deletedAt; the row stays so replies keep their place. */
  abstract softDelete(id: string): Promise<void>;
}
