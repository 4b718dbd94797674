import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Member, PresenceChange } from '@reelroom/contracts';
import { MemoryPresenceStore } from '../testing/memory-presence.store.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { PRESENCE_BATCH_MS, PresenceService } from './presence.service.js';

const R = 'A'.repeat(22);
const ana = { userId: 'ana', name: 'Ana', role: 'viewer' as const, isGuest: false };
const bo = { userId: 'bo', name: 'Bo', role: 'host' as const, isGuest: true };

function setup() {
  const store = new MemoryPresenceStore();
  const broadcast = new RecordingBroadcaster();
  return {
    store,
    broadcast,
    presence: new PresenceService(store, broadcast),
    deltas: () => broadcast.payloads('presence:delta').map((d) => d.changes),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe(PresenceService.name, () => {
  it('counts sockets per person: 1 on arrival, null for a socket counted already, 0 when the last one leaves', async () => {
    const { presence } = setup();
    expect(await presence.connect('s1', R, ana)).toBe(1);
    expect(await presence.connect('s1', R, ana)).toBeNull();
    expect(await presence.connect('s2', R, ana)).toBe(2);
    expect(await presence.connectedCount(R)).toBe(1);
    expect(await presence.disconnect('s1', R)).toEqual(new Map([[R, 1]]));
    expect(await presence.disconnect('s1', R)).toEqual(new Map());
    expect(await presence.disconnect('s2')).toEqual(new Map([[R, 0]]));
    expect(await presence.members(R)).toEqual([]);
    expect(await presence.connectedCount(R)).toBe(0);
  });

  it('forgets a departed member’s player status (it must not hold the room) but keeps their round trip', async () => {
    const { presence, store } = setup();
    await presence.connect('s1', R, ana);
    await presence.setPlayer(R, 'ana', { state: 'buffering', driftMs: 0, noWait: false });
    await presence.setRtt(R, 'ana', 120.6);
    await presence.disconnect('s1');
    expect(await store.get(R, 'ana')).toMatchObject({ player: null, rttMs: 121 });
    await presence.connect('s2', R, { ...ana, name: 'Ana B.' });
    expect(await presence.members(R)).toEqual<Member[]>([
      { userId: 'ana', name: 'Ana B.', role: 'viewer', isGuest: false, connections: 1, player: null, mutedUntil: null },
    ]);
    expect(await presence.rtts(R)).toEqual([121]);
  });

  it('disconnects a socket from every room it joined', async () => {
    const { presence } = setup();
    await presence.connect('s1', R, ana);
    await presence.connect('s1', 'B'.repeat(22), ana);
    expect([...presence.roomsOf('s1').keys()]).toEqual([R, 'B'.repeat(22)]);
    expect(await presence.disconnect('s1')).toEqual(
      new Map([
        [R, 0],
        ['B'.repeat(22), 0],
      ]),
    );
    expect(presence.roomsOf('s1').size).toBe(0);
  });

  it('lists only connected members with their role, mute and player, and their round trips for the lead', async () => {
    const { presence } = setup();
    await presence.connect('s1', R, ana);
    await presence.connect('s2', R, bo);
    await presence.setRtt(R, 'bo', 40);
    await presence.updateMember(R, 'ana', { role: 'moderator', mutedUntil: '2030-01-01T00:00:00.000Z' });
    await presence.updateMember(R, 'nobody', { role: 'moderator' });
    expect((await presence.members(R)).map((m) => [m.userId, m.role, m.mutedUntil, m.isGuest])).toEqual([
      ['ana', 'moderator', '2030-01-01T00:00:00.000Z', false],
      ['bo', 'host', null, true],
    ]);
    expect(await presence.rtts(R)).toEqual([40]);
    await presence.disconnect('s2');
    expect(await presence.rtts(R)).toEqual([]);
  });

  it('sends only what changed, one version each, batched per room, and the whole list with its version to whoever asks', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { presence, deltas } = setup();
    await presence.connect('s1', R, ana);
    await presence.connect('s2', R, bo);
    expect(deltas()).toEqual([]);
    await vi.advanceTimersByTimeAsync(PRESENCE_BATCH_MS);
    const anaHere: Member = { userId: 'ana', name: 'Ana', role: 'viewer', isGuest: false, connections: 1, player: null, mutedUntil: null };
    expect(deltas()).toEqual<PresenceChange[][]>([
      [
        { v: 1, kind: 'upsert', member: anaHere },
        { v: 2, kind: 'upsert', member: { ...anaHere, userId: 'bo', name: 'Bo', role: 'host', isGuest: true } },
      ],
    ]);
    await presence.connect('s3', R, ana); // a second tab: Ana's sockets change, nobody else's
    await presence.updateMember(R, 'bo', { role: 'moderator' });
    await presence.disconnect('s2');
    await vi.advanceTimersByTimeAsync(PRESENCE_BATCH_MS);
    expect(deltas()[1]).toEqual<PresenceChange[]>([
      { v: 3, kind: 'upsert', member: { ...anaHere, connections: 2 } },
      { v: 4, kind: 'upsert', member: { ...anaHere, userId: 'bo', name: 'Bo', role: 'moderator', isGuest: true } },
      { v: 5, kind: 'leave', userId: 'bo' },
    ]);
    expect(await presence.list(R)).toEqual({ v: 5, members: [{ ...anaHere, connections: 2 }] });
  });

  it('takes no version for changes nobody sees: a round trip, or a role change of someone not here', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { presence, deltas } = setup();
    await presence.connect('s1', R, ana);
    await presence.disconnect('s1');
    await vi.advanceTimersByTimeAsync(PRESENCE_BATCH_MS);
    const before = (await presence.list(R)).v;
    await presence.setRtt(R, 'ana', 80);
    await presence.updateMember(R, 'ana', { role: 'moderator' });
    await vi.advanceTimersByTimeAsync(PRESENCE_BATCH_MS);
    expect((await presence.list(R)).v).toBe(before);
    expect(
      deltas()
        .flat()
        .map((c) => c.kind),
    ).toEqual(['upsert', 'leave']);
  });

  it('sends a player report only when a person would see a difference', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { presence, deltas } = setup();
    await presence.connect('s1', R, ana);
    await vi.advanceTimersByTimeAsync(1000);
    const count = () => deltas().flat().length;
    const before = count();
    await presence.setPlayer(R, 'ana', { state: 'playing', driftMs: 10, noWait: false });
    await vi.advanceTimersByTimeAsync(1000);
    expect(count()).toBe(before + 1);
    await presence.setPlayer(R, 'ana', { state: 'playing', driftMs: 120, noWait: false });
    await vi.advanceTimersByTimeAsync(1000);
    expect(count()).toBe(before + 1);
    await presence.setPlayer(R, 'ana', { state: 'playing', driftMs: 900, noWait: false });
    await vi.advanceTimersByTimeAsync(1000);
    expect(count()).toBe(before + 2);
    expect(deltas().flat().at(-1)).toMatchObject({ kind: 'upsert', member: { userId: 'ana', player: { driftMs: 900 } } });
    await presence.setPlayer(R, 'stranger', { state: 'paused', driftMs: 0, noWait: true });
    await vi.advanceTimersByTimeAsync(1000);
    expect(count()).toBe(before + 2);
  });
});
