import { BadRequestException, ForbiddenException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { CHAT_HISTORY, CHAT_MAX_LENGTH, REACTIONS, type ChatMessage, type RoomRole } from '@reelroom/contracts';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { ChatRepository, type ChatRow } from './chat.repository.js';

export const SLOW_DOWN = 'You are sending messages too fast. Slow down.';

/** Refused by a rate limit; carries how long to wait. */
export class SlowDownException extends HttpException {
  constructor(readonly retryAfterMs: number) {
    super(SLOW_DOWN, 429);
  }
}

const EXCERPT = 80;

export function toChatMessage(r: ChatRow): ChatMessage {
  const reactions: Record<string, string[]> = {};
  for (const x of r.reactions) (reactions[x.emoji] ??= []).push(x.userId);
  const deleted = r.deletedAt !== null;
  return {
    id: r.id,
    roomId: r.roomId,
    kind: r.kind,
    author: r.author ? { id: r.author.id, name: r.author.displayName } : null,
    body: deleted ? '' : r.body,
    replyTo: r.replyTo
      ? {
          id: r.replyTo.id,
          authorName: r.replyTo.author?.displayName ?? '',
          excerpt: r.replyTo.deletedAt ? '' : r.replyTo.body.slice(0, EXCERPT),
        }
      : null,
    reactions,
    deleted,
    createdAt: r.createdAt.toISOString(),
  };
}

export interface ChatActor {
  userId: string;
}

/**
 * Chat rules: text only (stored and sent as plain text; the client renders it as text), at most
 * CHAT_MAX_LENGTH characters after trimming, replies within the same room, muted members refused with
 * a sentence. Rate limits are the gateway's (per connection and per user) because they need the socket.
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly chat: ChatRepository,
    private readonly access: RoomAccessPolicy,
    private readonly broadcast: RoomBroadcaster,
  ) {}

  async send(
    ctx: ChatActor & { name: string },
    roomId: string,
    input: { body: string; replyToId?: string },
    now = Date.now(),
  ): Promise<ChatMessage> {
    const body = input.body.trim();
    if (!body) throw new BadRequestException('Type a message first.');
    if (body.length > CHAT_MAX_LENGTH)
      throw new BadRequestException(`Messages are at most ${CHAT_MAX_LENGTH} characters (this one has ${body.length}).`);
    const { member: m } = await this.access.require(ctx.userId, roomId, 'take-part');
    if (m.mutedUntil && m.mutedUntil.getTime() > now) {
      throw new ForbiddenException(
        `A moderator muted you until ${m.mutedUntil.toISOString().slice(11, 16)} UTC; you can read but not write.`,
      );
    }
    const target = input.replyToId ? await this.chat.find(input.replyToId) : null;
    if (input.replyToId && (!target || target.roomId !== roomId))
      throw new NotFoundException('The message you reply to is not in this room.');
    const core = await this.chat.insert({ roomId, authorId: ctx.userId, kind: 'user', body, replyToId: input.replyToId });
    const msg = toChatMessage({
      ...core,
      author: { id: ctx.userId, displayName: ctx.name },
      replyTo: target
        ? {
            id: target.id,
            body: target.body,
            deletedAt: target.deletedAt,
            author: target.author ? { displayName: target.author.displayName } : null,
          }
        : null,
      reactions: [],
    });
    this.broadcast.toRoom(roomId, 'chat:message', msg);
    return msg;
  }

  /** The last CHAT_HISTORY messages, oldest first. */
  async history(roomId: string): Promise<ChatMessage[]> {
    return (await this.chat.lastN(roomId, CHAT_HISTORY)).map(toChatMessage);
  }

  async react(ctx: ChatActor, roomId: string, messageId: string, emoji: string, on: boolean): Promise<ChatMessage> {
    if (!(REACTIONS as readonly string[]).includes(emoji)) throw new BadRequestException('Pick one of the offered reactions.');
    await this.inRoom(messageId, roomId);
    await this.chat.setReaction(messageId, ctx.userId, emoji, on);
    const msg = toChatMessage((await this.chat.find(messageId))!);
    this.broadcast.toRoom(roomId, 'chat:updated', msg);
    return msg;
  }

  /** The author, the host or a moderator; soft delete (body emptied, `deleted: true`). */
  async delete(ctx: ChatActor & { role: RoomRole }, roomId: string, messageId: string): Promise<ChatMessage> {
    const row = await this.inRoom(messageId, roomId);
    const mine = row.author?.id === ctx.userId;
    if (!mine && ctx.role === 'viewer') throw new ForbiddenException('Only the author, the host or a moderator can delete a message.');
    if (!row.deletedAt) await this.chat.softDelete(messageId);
    const msg = toChatMessage((await this.chat.find(messageId))!);
    this.broadcast.toRoom(roomId, 'chat:updated', msg);
    return msg;
  }

  /** A system line ("Ana joined", "Ana paused at 12:03"): stored like chat and broadcast to the room. */
  async postSystem(roomId: string, body: string): Promise<ChatMessage> {
    const core = await this.chat.insert({ roomId, authorId: null, kind: 'system', body: body.slice(0, CHAT_MAX_LENGTH) });
    const msg = toChatMessage({ ...core, author: null, replyTo: null, reactions: [] });
    this.broadcast.toRoom(roomId, 'chat:message', msg);
    return msg;
  }

  private async inRoom(messageId: string, roomId: string): Promise<ChatRow> {
    const row = await this.chat.find(messageId);
    if (!row || row.roomId !== roomId) throw new NotFoundException('This message is not in this room.');
    return row;
  }
}
