import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_JOIN_REFUSED, type AuthResponse, type BanView, type ChatMessage, type RoomPreview, type RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, errorOf } from '../support/api-client.js';
import { ask, connectSocket, nextEvent, okData, onEvent, type WireSocket } from '../support/socket.js';
import { eventually } from '../support/wait.js';

/**
 * Issue 12: the join page's preview (what knowing the link shows, and what it does not), moderation that
 * the room reads in chat, the ban list with unban, transferring the host role, and reopening a closed room.
 */

const PIN = '314159';
let stack: Stack;
const sockets: WireSocket[] = [];

async function guest(roomId: string, displayName: string): Promise<ApiClient & { auth: AuthResponse }> {
  const auth = await new ApiClient(stack.baseUrl).json<AuthResponse & { room: RoomView }>(
    'POST',
    `/api/rooms/${roomId}/guest`,
    { displayName, pin: PIN },
    201,
  );
  return Object.assign(new ApiClient(stack.baseUrl, auth.accessToken), { auth });
}

async function inRoom(token: string, roomId: string): Promise<WireSocket> {
  const s = await connectSocket(stack.baseUrl, token);
  sockets.push(s);
  okData(await ask(s, 'room:join', { roomId }));
  return s;
}

const preview = (roomId: string, client = new ApiClient(stack.baseUrl)) => client.request('GET', `/api/rooms/${roomId}/preview`);

beforeAll(async () => {
  // Every client here comes from 127.0.0.1: a kick's address block would shut out the guests that follow.
  stack = await startStack({ web: false, env: { KICK_DURATION_MIN: '0' } });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('room preview, moderation lines, bans, host transfer and reopening', () => {
  let host: ApiClient;
  let room: RoomView;
  let hostSocket: WireSocket;
  const lines: string[] = [];

  it('previews a room to anyone holding its id: name, host, PIN and how many watch; nothing for unknown ids', async () => {
    host = new ApiClient(stack.baseUrl);
    await host.register(undefined, 'Hostess');
    room = await host.json<RoomView>('POST', '/api/rooms', { name: 'Film club', pin: PIN }, 201);

    const first = await preview(room.id);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ id: room.id, name: 'Film club', hostName: 'Hostess', hasPin: true, watching: 0 });

    hostSocket = await inRoom(host.token!, room.id);
    onEvent(hostSocket, 'chat:message', (m: ChatMessage) => m.kind === 'system' && lines.push(m.body));
    await eventually(async () => ((await (await preview(room.id)).json()) as RoomPreview).watching).toBe(1);

    for (const id of ['B'.repeat(22), 'not-a-room']) {
      const res = await preview(id);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).message).toBe(ROOM_JOIN_REFUSED);
    }
  });

  it('announces promotions, mutes, kicks and bans in chat; the banned get the generic refusal from the preview', async () => {
    const gus = await guest(room.id, 'Gus');
    const vera = await guest(room.id, 'Vera');
    const kim = await guest(room.id, 'Kim');
    // Before the ban, which blocks the banned guest's address (everyone's here) for BAN_ADDRESS_HOURS.
    const other = await guest(room.id, 'Otto');
    for (const g of [gus, vera, kim]) await inRoom(g.token!, room.id);

    okData(await ask(hostSocket, 'mod:role', { userId: vera.auth.user.id, role: 'moderator' }));
    okData(await ask(hostSocket, 'mod:mute', { userId: kim.auth.user.id, minutes: 10 }));
    okData(await ask(hostSocket, 'mod:mute', { userId: kim.auth.user.id, minutes: 0 }));
    okData(await ask(hostSocket, 'mod:kick', { userId: kim.auth.user.id, ban: false }));
    okData(await ask(hostSocket, 'mod:kick', { userId: gus.auth.user.id, ban: true }));
    await eventually(() => lines.filter((l) => l.startsWith('Hostess '))).toEqual([
      'Hostess made Vera a moderator',
      'Hostess muted Kim for 10 min',
      'Hostess unmuted Kim',
      'Hostess removed Kim from the room',
      'Hostess banned Gus',
    ]);

    const refused = await preview(room.id, gus);
    expect(refused.status).toBe(404);
    expect((await errorOf(refused)).message).toBe(ROOM_JOIN_REFUSED);

    // The ban list: the host and moderators see it; a viewer does not.
    const bans = await host.json<BanView[]>('GET', `/api/rooms/${room.id}/bans`);
    expect(bans.map((b) => b.name)).toEqual(['Gus']);
    expect((await vera.json<BanView[]>('GET', `/api/rooms/${room.id}/bans`)).length).toBe(1);
    expect((await other.request('GET', `/api/rooms/${room.id}/bans`)).status).toBe(403);

    // Unban: Gus may preview and join again (with the PIN).
    expect((await vera.request('DELETE', `/api/rooms/${room.id}/bans/${gus.auth.user.id}`)).status).toBe(204);
    expect(await host.json<BanView[]>('GET', `/api/rooms/${room.id}/bans`)).toEqual([]);
    expect((await preview(room.id, gus)).status).toBe(200);
    expect((await gus.json<RoomView>('POST', `/api/rooms/${room.id}/join`, { pin: PIN })).myRole).toBe('viewer');
    expect((await host.request('DELETE', `/api/rooms/${room.id}/bans/${gus.auth.user.id}`)).status).toBe(404);

    // Transfer the host role: Vera is host (and told so); Hostess stays as a moderator.
    const veraSocket = sockets[2];
    const told = nextEvent(veraSocket, 'room:you', (p) => p.role === 'host');
    okData(await ask(hostSocket, 'mod:host', { userId: vera.auth.user.id }));
    await told;
    await eventually(() => lines.at(-1)).toBe('Hostess made Vera the host');
    expect((await vera.json<RoomView[]>('GET', '/api/rooms')).find((r) => r.id === room.id)?.myRole).toBe('host');
    expect((await host.json<RoomView[]>('GET', '/api/rooms')).find((r) => r.id === room.id)?.myRole).toBe('moderator');
    expect(((await (await preview(room.id)).json()) as RoomPreview).hostName).toBe('Vera');
    expect(await ask(hostSocket, 'mod:host', { userId: gus.auth.user.id })).toEqual({ ok: false, error: 'Only the host can do that.' });

    // Closing hides the room from the preview; the (new) host reopens it.
    await vera.json('POST', `/api/rooms/${room.id}/close`);
    expect((await preview(room.id)).status).toBe(404);
    expect((await host.request('POST', `/api/rooms/${room.id}/reopen`)).status).toBe(403);
    const reopened = await vera.json<RoomView>('POST', `/api/rooms/${room.id}/reopen`);
    expect(reopened.closedAt).toBeNull();
    expect((await preview(room.id)).status).toBe(200);
  });
});
