import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberList, presenceDeltaSchema, type PresenceChange, type PresenceList, type RoomSnapshot } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { ask, connectSocket, okData, onEvent, type WireSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// Issue 10, presence deltas: a join, a leave or a role change goes to the room as that one member's
// change with the room's next version; the whole list only in the joiner's snapshot and in answer to
// `presence:get`. Real socket.io clients on two API processes (the Redis adapter between them), each
// holding its list the way the web app does (contracts' MemberList).

let stack: Stack;
let second: string;
let owner: ApiClient;
const sockets: WireSocket[] = [];

// Short presence liveness (issue 10), so a killed process is swept in a second or two rather than 15 s.
const LIVENESS = { PRESENCE_HEARTBEAT_MS: '300', PRESENCE_EXPIRY_MS: '1500' };

beforeAll(async () => {
  stack = await startStack({ web: false, env: LIVENESS });
  second = (await stack.startSecondApi()).baseUrl;
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Host');
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

/**
 * A room client: its snapshot, every delta it received (validated against the contract), and its list.
 * `drop` deltas are thrown away on arrival, as if lost in a reconnect; a gap in the versions resyncs
 * with `presence:get` at once (the web app first waits a moment for a late delta).
 */
class PresenceClient {
  readonly list = new MemberList();
  readonly deltas: PresenceChange[][] = [];
  resyncs = 0;
  readonly failures: unknown[] = [];
  snapshot!: RoomSnapshot;

  /** How many of the next deltas to throw away. */
  drop = 0;

  private constructor(readonly socket: WireSocket) {}

  static async join(baseUrl: string, token: string, roomId: string): Promise<PresenceClient> {
    const socket = await connectSocket(baseUrl, token);
    sockets.push(socket);
    const c = new PresenceClient(socket);
    onEvent(socket, 'presence:delta', (d) => c.onDelta(d));
    c.snapshot = okData(await ask<RoomSnapshot>(socket, 'room:join', { roomId }));
    c.list.reset(c.snapshot.presenceVersion, c.snapshot.members);
    return c;
  }

  /** The changes received after the snapshot's version (a joiner also hears its own arrival, which its snapshot holds). */
  after(): PresenceChange[] {
    return this.deltas.flat().filter((c) => c.v > this.snapshot.presenceVersion);
  }

  names(): string[] {
    return this.list.members.map((m) => m.name).sort();
  }

  private onDelta(payload: unknown): void {
    const { changes } = presenceDeltaSchema.parse(payload);
    this.deltas.push(changes);
    if (this.drop > 0) return void (this.drop -= 1);
    this.list.apply(changes);
    // A socket closed by the test while its resync was on its way has nothing to resync.
    if (this.list.gapped) this.resync().catch((err: unknown) => void (this.socket.connected && this.failures.push(err)));
  }

  private async resync(): Promise<void> {
    this.resyncs += 1;
    const whole = okData(await ask<PresenceList>(this.socket, 'presence:get', {}));
    this.list.reset(whole.v, whole.members);
  }
}

async function guestToken(roomId: string, name: string): Promise<string> {
  return (await new ApiClient(stack.baseUrl).joinAsGuest(roomId, name)).accessToken;
}

describe('presence deltas', () => {
  it('sends a join and a leave as that one member’s change with the next version; the whole list only to the joiner', async () => {
    const room = await owner.createRoom('Deltas');
    const host = await PresenceClient.join(stack.baseUrl, owner.token!, room.id);
    expect(host.names()).toEqual(['Host']);
    const v0 = host.snapshot.presenceVersion;

    const bea = await PresenceClient.join(second, await guestToken(room.id, 'Bea'), room.id);
    expect(bea.snapshot.members.map((m) => m.name).sort()).toEqual(['Bea', 'Host']);
    expect(bea.snapshot.presenceVersion).toBe(v0 + 1);
    await eventually(() => host.after().length).toBe(1);
    expect(host.after()[0]).toMatchObject({
      v: v0 + 1,
      kind: 'upsert',
      member: { name: 'Bea', role: 'viewer', isGuest: true, connections: 1 },
    });
    expect(host.deltas.at(-1)).toHaveLength(1);

    bea.socket.disconnect();
    await eventually(() => host.deltas.at(-1)).toEqual([{ v: v0 + 2, kind: 'leave', userId: bea.snapshot.me.userId }]);
    expect(host.names()).toEqual(['Host']);
    expect(host.list.version).toBe(v0 + 2);
    expect(host.resyncs).toBe(0);
  });

  it('a client that missed a delta sees the gap at the next one and resyncs to the right list', async () => {
    const room = await owner.createRoom('Missed');
    const host = await PresenceClient.join(stack.baseUrl, owner.token!, room.id);
    await eventually(() => host.deltas.length).toBe(1); // its own arrival
    host.drop = 1;
    await PresenceClient.join(second, await guestToken(room.id, 'Cy'), room.id);
    await eventually(() => host.deltas.length).toBe(2); // Cy's arrival, dropped
    expect(host.names()).toEqual(['Host']);
    await PresenceClient.join(stack.baseUrl, await guestToken(room.id, 'Dan'), room.id);
    await eventually(() => host.names()).toEqual(['Cy', 'Dan', 'Host']);
    expect(host.resyncs).toBe(1);
    expect(host.list.gapped).toBe(false);
  });

  it('keeps every client’s list right across two API processes through concurrent joins, leaves and a role change', async () => {
    const room = await owner.createRoom('Crowd');
    const host = await PresenceClient.join(stack.baseUrl, owner.token!, room.id);
    const watchers = [host, await PresenceClient.join(second, await guestToken(room.id, 'W1'), room.id)];
    const names = Array.from({ length: 8 }, (_, i) => `G${i}`);
    const tokens = await Promise.all(names.map((n) => guestToken(room.id, n)));
    const guests = await Promise.all(tokens.map((t, i) => PresenceClient.join(i % 2 ? second : stack.baseUrl, t, room.id)));
    await Promise.all(
      guests.slice(0, 4).map((g) => new Promise<void>((resolve) => (g.socket.once('disconnect', () => resolve()), g.socket.disconnect()))),
    );
    const promoted = guests[5].snapshot.me.userId;
    okData(await ask(host.socket, 'mod:role', { userId: promoted, role: 'moderator' }));

    const expected = ['G4', 'G5', 'G6', 'G7', 'Host', 'W1'];
    const truth = okData(await ask<PresenceList>(host.socket, 'presence:get', {}));
    expect(truth.members.map((m) => m.name).sort()).toEqual(expected);
    for (const w of [...watchers, ...guests.slice(4)]) {
      await eventually(() => w.list.version).toBe(truth.v);
      expect(w.names()).toEqual(expected);
      expect(w.list.members.find((m) => m.userId === promoted)?.role).toBe('moderator');
    }
    // Every version after a watcher's snapshot reached it exactly once, whichever process made it.
    for (const w of watchers) {
      const after = Array.from({ length: truth.v - w.snapshot.presenceVersion }, (_, i) => w.snapshot.presenceVersion + 1 + i);
      expect(
        w
          .after()
          .map((c) => c.v)
          .sort((a, b) => a - b),
      ).toEqual(after);
    }
    for (const c of [...watchers, ...guests]) expect(c.failures).toEqual([]);
  });
});

describe('presence after an API process is killed', () => {
  it('the survivor’s clients see the killed process’s people leave as deltas; one who reconnects is counted once', async () => {
    const doomed = await stack.startSecondApi();
    const room = await owner.createRoom('Killed');
    const host = await PresenceClient.join(stack.baseUrl, owner.token!, room.id);
    await PresenceClient.join(doomed.baseUrl, owner.token!, room.id); // the host's second tab
    const beaToken = await guestToken(room.id, 'Bea');
    const cyToken = await guestToken(room.id, 'Cy');
    const bea = await PresenceClient.join(doomed.baseUrl, beaToken, room.id);
    await PresenceClient.join(doomed.baseUrl, cyToken, room.id);
    await eventually(() => host.names()).toEqual(['Bea', 'Cy', 'Host']);
    const seen = host.deltas.length;

    doomed.process.kill('SIGKILL');
    // Cy's client finds another process at once (the load balancer's job); Bea does not come back.
    const cy = await PresenceClient.join(stack.baseUrl, cyToken, room.id);

    const counts = () => host.list.members.map((m) => [m.name, m.connections]).sort();
    await eventually(() => counts()).toEqual([
      ['Cy', 1],
      ['Host', 1],
    ]);
    const truth = okData(await ask<PresenceList>(host.socket, 'presence:get', {}));
    expect(truth.members.map((m) => [m.name, m.connections]).sort()).toEqual(counts());
    await eventually(() => cy.list.version).toBe(truth.v);
    expect(cy.names()).toEqual(['Cy', 'Host']);
    // The sweep went out as ordinary versioned changes: Bea's leave among them, and no resync was needed.
    expect(host.deltas.slice(seen).flat()).toContainEqual(expect.objectContaining({ kind: 'leave', userId: bea.snapshot.me.userId }));
    expect(host.resyncs).toBe(0);
    expect(host.failures).toEqual([]);
  });
});
