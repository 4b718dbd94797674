import type { ChatRepository, ChatRow, ChatRowCore } from '../chat/chat.repository.js';

/** ChatRepository in memory. Like the real one, insert returns the row's own columns; find reads the relations. */
export class MemoryChatRepository implements ChatRepository {
  readonly rows = new Map<string, ChatRow>();
  private n = 0;

  /** Author display names: the real repository joins the User row. */
  constructor(private readonly displayName: (userId: string) => string = (id) => id.toUpperCase()) {}

  async insert(d: {
    roomId: string;
    authorId: string | null;
    kind: 'user' | 'system';
    body: string;
    replyToId?: string;
  }): Promise<ChatRowCore> {
    const id = `00000000-0000-4000-8000-${String(++this.n).padStart(12, '0')}`;
    const reply = d.replyToId ? this.rows.get(d.replyToId)! : null;
    const row: ChatRow = {
      id,
      roomId: d.roomId,
      kind: d.kind,
      body: d.body,
      createdAt: new Date(this.n),
      editedAt: null,
      deletedAt: null,
      author: d.authorId ? { id: d.authorId, displayName: this.displayName(d.authorId) } : null,
      replyTo: reply
        ? {
            id: reply.id,
            body: reply.body,
            deletedAt: reply.deletedAt,
            author: reply.author ? { displayName: reply.author.displayName } : null,
          }
        : null,
      reactions: [],
    };
    this.rows.set(id, row);
    return {
      id,
      roomId: row.roomId,
      kind: row.kind,
      body: row.body,
      createdAt: row.createdAt,
      editedAt: row.editedAt,
      deletedAt: row.deletedAt,
    };
  }

  async find(id: string): Promise<ChatRow | null> {
    return this.rows.get(id) ?? null;
  }

  async lastN(roomId: string, limit: number): Promise<ChatRow[]> {
    return [...this.rows.values()].filter((r) => r.roomId === roomId).slice(-limit);
  }

  async setReaction(messageId: string, userId: string, emoji: string, on: boolean): Promise<void> {
    const r = this.rows.get(messageId)!;
    r.reactions = r.reactions.filter((x) => !(x.userId === userId && x.emoji === emoji));
    if (on) r.reactions.push({ userId, emoji });
  }

  async foldBody(roomId: string, id: string, body: string): Promise<ChatRow | null> {
    const [last] = await this.lastN(roomId, 1);
    if (last?.id !== id) return null;
    last.body = body;
    return { ...last, reactions: [...last.reactions] };
  }

  async edit(id: string, body: string, editedAt: Date): Promise<void> {
    const r = this.rows.get(id)!;
    r.body = body;
    r.editedAt = editedAt;
  }

  async softDelete(id: string): Promise<void> {
    const r = this.rows.get(id)!;
    r.body = '';
    r.deletedAt = new Date();
  }
}
