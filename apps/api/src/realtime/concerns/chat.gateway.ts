import { Inject, Injectable } from '@nestjs/common';
import { chatDeleteSchema, chatEditSchema, chatReactSchema, chatSendSchema, chatTypingSchema } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { ChatService, SLOW_DOWN } from '../../chat/chat.service.js';
import { TokenBuckets } from '../../chat/token-bucket.js';
import { LimitStore } from '../../rooms/limit.store.js';
import { RoomAccessPolicy } from '../../rooms/room-access.policy.js';
import type { ClientSocket } from '../client-socket.js';
import { roomChannel } from '../socket-channels.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';

/** Typing starts are relayed at most this often per connection. */
export const TYPING_EVERY_MS = 1000;

/**
 * Chat on the socket: send, edit, typing, react, delete. The rules are ChatService's; the rate limits live here
 * because they need the socket: two token buckets (CHAT_BURST, then CHAT_PER_SEC), one per connection in
 * memory (checked first, free) and one per user in Redis (shared by all their tabs and API processes).
 * A refused send is answered with SLOW_DOWN and retryAfterMs, never dropped silently.
 */
@Injectable()
export class ChatGateway extends SocketConcern {
  private readonly buckets: TokenBuckets<string>;
  private readonly lastTyping = new Map<string, number>();
  private readonly typingShown = new Set<string>();

  constructor(
    private readonly chat: ChatService,
    private readonly access: RoomAccessPolicy,
    private readonly limits: LimitStore,
    private readonly events: SocketEvents,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'chatBurst' | 'chatPerSec'>,
  ) {
    super();
    this.buckets = new TokenBuckets(config.chatBurst, config.chatPerSec, () => Date.now());
  }

  bind(socket: ClientSocket): void {
    socket.onDisconnect(() => {
      this.buckets.forget(socket.id);
      this.lastTyping.delete(socket.id);
      this.typingShown.delete(socket.id);
    });

    this.events.on(socket, 'chat:send', chatSendSchema, async (body, reply) => {
      const roomId = currentRoom(socket);
      const { id: userId, displayName: name } = socket.data.auth.user;
      const local = this.buckets.take(socket.id);
      const user = local.ok ? await this.limits.take(`chat:${userId}`, this.config.chatBurst, this.config.chatPerSec) : local;
      if (!user.ok) return reply({ ok: false, error: SLOW_DOWN, retryAfterMs: user.retryAfterMs });
      reply({ ok: true, data: await this.chat.send({ userId, name }, roomId, body) });
    });
    this.events.on(socket, 'chat:typing', chatTypingSchema, async ({ typing }) => {
      const roomId = socket.data.roomId;
      if (!roomId) return;
      const now = Date.now();
      const { id, displayName } = socket.data.auth.user;
      if (typing) {
        // Starts are throttled, and only someone who may write is shown typing (a mute covers it).
        if (now - (this.lastTyping.get(socket.id) ?? Number.NEGATIVE_INFINITY) < TYPING_EVERY_MS) return;
        this.lastTyping.set(socket.id, now);
        await this.chat.requireVoice(id, roomId, now);
        this.typingShown.add(socket.id);
      } else if (!this.typingShown.delete(socket.id)) {
        return; // a stop only follows a start that was relayed
      }
      socket.emitToOthers(roomChannel(roomId), 'chat:typing', { userId: id, name: displayName, typing });
    });
    this.events.on(socket, 'chat:react', chatReactSchema, async ({ messageId, emoji, on }, reply) => {
      reply({ ok: true, data: await this.chat.react({ userId: socket.data.auth.user.id }, currentRoom(socket), messageId, emoji, on) });
    });
    // Edits spend the same tokens as messages: rewriting one message a hundred times is a flood too.
    this.events.on(socket, 'chat:edit', chatEditSchema, async ({ messageId, body }, reply) => {
      const { id: userId } = socket.data.auth.user;
      const local = this.buckets.take(socket.id);
      const user = local.ok ? await this.limits.take(`chat:${userId}`, this.config.chatBurst, this.config.chatPerSec) : local;
      if (!user.ok) return reply({ ok: false, error: SLOW_DOWN, retryAfterMs: user.retryAfterMs });
      reply({ ok: true, data: await this.chat.edit({ userId }, currentRoom(socket), messageId, body) });
    });
    this.events.on(socket, 'chat:delete', chatDeleteSchema, async ({ messageId }, reply) => {
      const roomId = currentRoom(socket);
      const { role } = await this.access.require(socket.data.auth.user.id, roomId, 'take-part');
      reply({ ok: true, data: await this.chat.delete({ userId: socket.data.auth.user.id, role }, roomId, messageId) });
    });
  }
}
