import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { ChatRepository, type ChatRow, type ChatRowCore } from './chat.repository.js';

const SELECT = {
  id: true,
  roomId: true,
  kind: true,
  body: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  author: { select: { id: true, displayName: true } },
  replyTo: { select: { id: true, body: true, deletedAt: true, author: { select: { displayName: true } } } },
  reactions: { select: { userId: true, emoji: true }, orderBy: { createdAt: 'asc' } },
} as const;

@Injectable()
export class PrismaChatRepository extends ChatRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  /**
   * One INSERT that reads back only the row's own columns. With a relational select Prisma wraps the
   * create in an interactive transaction; a burst of messages (a mass leave, a busy room) then waits
   * for the 10-connection pool until "Unable to start a transaction" (seen in bench/chat-fanout).
   * The caller already knows the author and the reply target, and a new message has no reactions.
   */
  insert(data: {
    roomId: string;
    authorId: string | null;
    kind: 'user' | 'system';
    body: string;
    replyToId?: string;
  }): Promise<ChatRowCore> {
    return this.prisma.client.chatMessage.create({
      data,
      select: { id: true, roomId: true, kind: true, body: true, createdAt: true, editedAt: true, deletedAt: true },
    });
  }

  find(id: string): Promise<ChatRow | null> {
    return this.prisma.client.chatMessage.findUnique({ where: { id }, select: SELECT });
  }

  /** The last `limit` messages, oldest first. */
  async lastN(roomId: string, limit: number): Promise<ChatRow[]> {
    const rows = await this.prisma.client.chatMessage.findMany({
      where: { roomId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: SELECT,
    });
    return rows.reverse();
  }

  async setReaction(messageId: string, userId: string, emoji: string, on: boolean): Promise<void> {
    if (on) {
      await this.prisma.client.chatReaction.upsert({
        where: { messageId_userId_emoji: { messageId, userId, emoji } },
        create: { messageId, userId, emoji },
        update: {},
      });
    } else {
      await this.prisma.client.chatReaction.deleteMany({ where: { messageId, userId, emoji } });
    }
  }

  /**
   * One statement where the fold used to read the room's latest message with its relations (four queries
   * without the relationJoins preview) and then update it: it runs on every playback command. The check
   * and the write are now one step, so a message inserted in between cannot be overwritten. A system line
   * has no author and no reply target; it may have reactions, which the room gets back with it.
   */
  async foldBody(roomId: string, id: string, body: string): Promise<ChatRow | null> {
    const [row] = await this.prisma.client.$queryRaw<Array<ChatRowCore & { reactions: ChatRow['reactions'] }>>`
      UPDATE "ChatMessage" m SET "body" = ${body}
      WHERE m."id" = ${id}::uuid
        AND m."id" = (SELECT l."id" FROM "ChatMessage" l WHERE l."roomId" = ${roomId} ORDER BY l."createdAt" DESC, l."id" DESC LIMIT 1)
      RETURNING m."id"::text AS "id", m."roomId", m."kind"::text AS "kind", m."body", m."createdAt", m."editedAt", m."deletedAt",
        (SELECT coalesce(json_agg(json_build_object('userId', x."userId", 'emoji', x."emoji") ORDER BY x."createdAt"), '[]'::json)
           FROM "ChatReaction" x WHERE x."messageId" = m."id") AS "reactions"`;
    return row ? { ...row, author: null, replyTo: null } : null;
  }

  async edit(id: string, body: string, editedAt: Date): Promise<void> {
    await this.prisma.client.chatMessage.update({ where: { id }, data: { body, editedAt } });
  }

  async softDelete(id: string): Promise<void> {
    await this.prisma.client.chatMessage.update({ where: { id }, data: { body: '', deletedAt: new Date() } });
  }
}
