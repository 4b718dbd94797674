import { BadRequestException, ForbiddenException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { CHAT_EDIT_WINDOW_MS, CHAT_HISTORY, CHAT_MAX_LENGTH, REACTIONS, type ChatMessage, type RoomRole } from '@reelroom/contracts';
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
/** System lines with the same fold key this close together become one line (see postSystem). */
export const SYSTEM_FOLD_MS = 10_000;

/**
 * The last foldable system line per room, in this process's memory: a person's socket lives on one API
 * process, so their bursts fold there (two tabs on two processes give at most one line each). Bounded:
 * the oldest rooms are forgotten first.
 */
class SystemFolds {
  private readonly last = new Map<string, { key: string; messageId: string; at: number }>();
  private readonly chains = new Map<string, Promise<unknown>>();

  /** Runs `task` after the room's previous one settled. */
  serial<T>(roomId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(roomId) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => undefined);
    this.chains.set(roomId, tail);
    void tail.then(() => {
      if (this.chains.get(roomId) === tail) this.chains.delete(roomId);
    });
    return run;
  }

  get(roomId: string) {
    return this.last.get(roomId);
  }

  remember(roomId: string, entry: { key: string; messageId: string; at: number } | null): void {
    this.last.delete(roomId);
    if (!entry) return;
    this.last.set(roomId, entry);
    if (this.last.size > 10_000) this.last.delete(this.last.keys().next().value!);
  }
}

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
    editedAt: r.editedAt ? r.editedAt.toISOString() : null,
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

  private readonly folds = new SystemFolds();

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
    await this.requireVoice(ctx.userId, roomId, now);
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

  async react(ctx: ChatActor, roomId: string, messageId: string, emoji: string, on: boolean, now = Date.now()): Promise<ChatMessage> {
    if (!(REACTIONS as readonly string[]).includes(emoji)) throw new BadRequestException('Pick one of the offered reactions.');
    await this.requireVoice(ctx.userId, roomId, now);
    await this.inRoom(messageId, roomId);
    await this.chat.setReaction(messageId, ctx.userId, emoji, on);
    const msg = toChatMessage((await this.chat.find(messageId))!);
    this.broadcast.toRoom(roomId, 'chat:updated', msg);
    return msg;
  }

  /**
   * The author edits their own message (issue 12), within CHAT_EDIT_WINDOW_MS of sending, while allowed
   * to write (a mute covers edits); the room gets it back with `editedAt` set, shown as "edited".
   * Nobody edits someone else's message, not even a moderator (they delete it instead).
   */
  async edit(ctx: ChatActor, roomId: string, messageId: string, text: string, now = Date.now()): Promise<ChatMessage> {
    const body = text.trim();
    if (!body) throw new BadRequestException('Type a message first, or delete this one instead.');
    if (body.length > CHAT_MAX_LENGTH)
      throw new BadRequestException(`Messages are at most ${CHAT_MAX_LENGTH} characters (this one has ${body.length}).`);
    await this.requireVoice(ctx.userId, roomId, now);
    const row = await this.inRoom(messageId, roomId);
    if (row.kind !== 'user' || row.author?.id !== ctx.userId) throw new ForbiddenException('You can only edit your own messages.');
    if (row.deletedAt) throw new BadRequestException('This message was deleted; it cannot be edited.');
    if (now - row.createdAt.getTime() > CHAT_EDIT_WINDOW_MS)
      throw new ForbiddenException(`Messages can be edited for ${CHAT_EDIT_WINDOW_MS / 60_000} minutes after sending; this one is older.`);
    if (body !== row.body) await this.chat.edit(messageId, body, new Date(now));
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

  /**
   * A system line ("Ana joined", "Ana paused at 12:03"): stored like chat and broadcast to the room.
   * With a `foldKey` (who and what: `playback:<userId>`), a line that follows one
   * with the same key within SYSTEM_FOLD_MS, while that one is still the room's latest message, replaces
   * its text (`chat:updated`) instead of adding a line: a burst of 39 play/pause commands is one line, and
   * cannot push people's messages out of the history.
   */
  async postSystem(roomId: string, body: string, foldKey?: string, now = Date.now()): Promise<ChatMessage> {
    // Foldable lines of a room are written one after the other (their callers do not wait for them).
    return foldKey
      ? this.folds.serial(roomId, () => this.writeSystem(roomId, body, foldKey, now))
      : this.writeSystem(roomId, body, undefined, now);
  }

  private async writeSystem(roomId: string, body: string, foldKey: string | undefined, now: number): Promise<ChatMessage> {
    const text = body.slice(0, CHAT_MAX_LENGTH);
    const folded = foldKey ? await this.fold(roomId, foldKey, text, now) : null;
    if (folded) return folded;
    const core = await this.chat.insert({ roomId, authorId: null, kind: 'system', body: text });
    const msg = toChatMessage({ ...core, author: null, replyTo: null, reactions: [] });
    this.folds.remember(roomId, foldKey ? { key: foldKey, messageId: msg.id, at: now } : null);
    this.broadcast.toRoom(roomId, 'chat:message', msg);
    return msg;
  }

  private async fold(roomId: string, key: string, body: string, now: number): Promise<ChatMessage | null> {
    const prev = this.folds.get(roomId);
    if (!prev || prev.key !== key || now - prev.at > SYSTEM_FOLD_MS) return null;
    const row = await this.chat.foldBody(roomId, prev.messageId, body);
    if (!row) return null;
    this.folds.remember(roomId, { ...prev, at: now });
    const msg = toChatMessage(row);
    this.broadcast.toRoom(roomId, 'chat:updated', msg);
    return msg;
  }

  /** A member who is not muted: muting covers messages, reactions and typing alike. */
  async requireVoice(userId: string, roomId: string, now = Date.now()): Promise<void> {
    const { member: m } = await this.access.require(userId, roomId, 'take-part');
    if (m.mutedUntil && m.mutedUntil.getTime() > now) {
      throw new ForbiddenException(
        `A moderator muted you until ${m.mutedUntil.toISOString().slice(11, 16)} UTC; you can read but not write.`,
      );
    }
  }

  private async inRoom(messageId: string, roomId: string): Promise<ChatRow> {
    const row = await this.chat.find(messageId);
    if (!row || row.roomId !== roomId) throw new NotFoundException('This message is not in this room.');
    return row;
  }
}
