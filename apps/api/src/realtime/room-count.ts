import { roomChannel } from './socket-channels.js';

const ROOM_CHANNEL = new RegExp(`^${roomChannel('')}[^:]+$`);

/** Watch-party rooms among socket.io's channels (not the per-user, per-member or per-socket ones). */
export function countRooms(channels: Iterable<string>): number {
  let n = 0;
  for (const c of channels) if (ROOM_CHANNEL.test(c)) n++;
  return n;
}
