import { describe, expect, it } from 'vitest';
import type { PresenceChange } from '@reelroom/contracts';
import { MemoryPresenceStore } from '../testing/memory-presence.store.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { silentLogger } from '../testing/silent-logger.js';
import { maySweep, PresenceLiveness, SWEEP_BATCH, SWEEP_STEPS_PER_TICK } from './presence-liveness.js';
import { PresenceService } from './presence.service.js';

const R = 'A'.repeat(22);
const who = (userId: string) => ({ userId, name: userId.toUpperCase(), role: 'viewer' as const, isGuest: true });
const config = { presenceHeartbeatMs: 5_000, presenceExpiryMs: 15_000 };

/** One simulated API process on the shared presence state, with a hand-driven clock. */
function proc(store: MemoryPresenceStore) {
  const broadcast = new RecordingBroadcaster();
  const presence = new PresenceService(store, broadcast);
  const liveness = new PresenceLiveness(store, presence, config, silentLogger);
  let seen = 0;
  /** The changes this process sent since the last call. */
  const changes = () => {
    presence.flush();
    const all = broadcast.payloads('presence:delta').flatMap((d) => d.changes);
    return all.slice(seen, (seen = all.length));
  };
  return { store, presence, liveness, changes };
}

function twoProcesses() {
  const a = proc(new MemoryPresenceStore('a'));
  const b = proc(a.store.process('b'));
  let now = 1_000_000;
  a.store.state.now = () => now;
  for (const p of [a, b]) p.liveness.now = () => now;
  return { a, b, advance: (ms: number) => (now += ms) };
}

describe(maySweep.name, () => {
  it('lets a process judge others only after its own heartbeats held for a whole expiry', () => {
    expect(maySweep(null, 100_000, 15_000)).toBe(false);
    expect(maySweep(90_000, 100_000, 15_000)).toBe(false);
    expect(maySweep(85_000, 100_000, 15_000)).toBe(true);
  });
});

describe(PresenceLiveness.name, () => {
  it('counts a silent process’s sockets out as ordinary versioned changes: a leave, or one connection fewer', async () => {
    const { a, b, advance } = twoProcesses();
    await a.liveness.tick();
    await b.liveness.tick();
    await a.presence.connect('a1', R, who('ann'));
    await b.presence.connect('b1', R, who('ann')); // Ann's second tab, on b
    await b.presence.connect('b2', R, who('bob'));
    a.changes();
    // b stops (SIGKILL); a keeps beating and, once trusted, sweeps it.
    for (let i = 0; i < 4; i += 1) {
      advance(5_000);
      await a.liveness.tick();
    }
    const ann = { userId: 'ann', name: 'ANN', role: 'viewer' as const, isGuest: true, player: null, mutedUntil: null };
    expect(a.changes()).toEqual<PresenceChange[]>([
      { v: 4, kind: 'upsert', member: { ...ann, connections: 1 } },
      { v: 5, kind: 'leave', userId: 'bob' },
    ]);
    expect(await a.presence.list(R)).toEqual({ v: 5, members: [{ ...ann, connections: 1 }] });
    expect(a.store.state.beats.has('b')).toBe(false);
  });

  it('does not sweep a process that keeps beating, nor count out twice when two processes sweep', async () => {
    const { a, b, advance } = twoProcesses();
    const c = proc(a.store.process('c'));
    c.liveness.now = a.liveness.now;
    for (const p of [a, b, c]) await p.liveness.tick();
    await c.presence.connect('c1', R, who('cy'));
    for (let i = 0; i < 4; i += 1) {
      advance(5_000);
      await a.liveness.tick();
      await b.liveness.tick();
    }
    const leaves = [...a.changes(), ...b.changes()].filter((ch) => ch.kind === 'leave');
    expect(leaves).toEqual([{ v: 2, kind: 'leave', userId: 'cy' }]);
    expect(await a.presence.connectedCount(R)).toBe(0);
    expect(a.store.state.beats.has('a') && a.store.state.beats.has('b')).toBe(true);
  });

  it('bounds one tick’s sweep; the next tick finishes a large dead process', async () => {
    const { a, b, advance } = twoProcesses();
    await a.liveness.tick();
    await b.liveness.tick();
    const many = SWEEP_BATCH * SWEEP_STEPS_PER_TICK + 3;
    for (let i = 0; i < many; i += 1) await b.presence.connect(`s${i}`, `room-${i}`, who(`u${i}`));
    advance(15_000);
    await a.liveness.tick(); // trusted now: a full expiry of heartbeats
    expect(a.store.state.owned.get('b')?.size).toBe(3);
    await a.liveness.tick();
    expect(a.store.state.owned.has('b')).toBe(false);
  });

  it('a late disconnect from a swept process changes nothing, and a process swept while alive counts its sockets in again', async () => {
    const { a, b, advance } = twoProcesses();
    await a.liveness.tick();
    await b.liveness.tick();
    await a.presence.connect('a1', R, who('ann'));
    await b.presence.connect('b1', R, who('ann'));
    await b.presence.connect('b2', R, who('bob'));
    advance(20_000); // b stalls past the expiry
    await a.liveness.tick();
    await a.liveness.tick();
    expect((await a.presence.list(R)).members.map((m) => [m.userId, m.connections])).toEqual([['ann', 1]]);
    // b wakes: its socket b2 closes (nothing to count out), then its heartbeat finds it was swept.
    await b.presence.disconnect('b2');
    expect((await a.presence.list(R)).members.map((m) => [m.userId, m.connections])).toEqual([['ann', 1]]);
    await b.liveness.tick();
    expect((await a.presence.list(R)).members.map((m) => [m.userId, m.connections])).toEqual([['ann', 2]]);
    await b.liveness.tick(); // registered again: nothing more to reclaim
    expect(await a.presence.connectedCount(R)).toBe(1);
    expect((await a.presence.members(R))[0].connections).toBe(2);
  });

  it('a clean shutdown counts its own sockets out at once and sends the leaves', async () => {
    const { a, b } = twoProcesses();
    await a.liveness.tick();
    await b.liveness.tick();
    await b.presence.connect('b1', R, who('bob'));
    await b.presence.connect('b2', R, who('cy'));
    await a.presence.connect('a1', R, who('cy'));
    b.changes();
    await b.liveness.onModuleDestroy();
    expect(b.changes().map((ch) => ch.kind)).toEqual(['leave', 'upsert']);
    expect((await a.presence.list(R)).members.map((m) => [m.userId, m.connections])).toEqual([['cy', 1]]);
    await b.presence.disconnect('b1'); // its sockets' own disconnects come after: nothing left to count
    expect((await a.presence.list(R)).members.map((m) => [m.userId, m.connections])).toEqual([['cy', 1]]);
    expect(a.store.state.beats.has('b')).toBe(false);
  });
});
