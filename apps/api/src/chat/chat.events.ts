import type { ChatMessage } from '@reelroom/contracts';

/** How ChatService reaches the room's sockets; implemented by RealtimeHub (plain fake in specs). */
export abstract class ChatEvents {
  abstract message(roomId: string, m: ChatMessage): void;
  abstract updated(roomId: string, m: ChatMessage): void;
}
