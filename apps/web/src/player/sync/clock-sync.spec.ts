import { describe, expect, it } from 'vitest';
import { ClockSync } from './clock-sync';
import { newSyncDebug, type SyncTransport } from './sync-types';
import { FakeScheduler, settle } from './testing/fake-scheduler';

/** A server 5 s ahead whose replies take `rttMs` (time moves while the ping is out). */
function server(scheduler: FakeScheduler, rtts: number[]) {
  const sent: (number | null)[] = [];
  let online = true;
  const ping: SyncTransport['ping'] = (t0, rttMs) => {
    sent.push(rttMs);
    if (!online) return Promise.reject(new Error('offline'));
    const rtt = rtts.shift() ?? 100;
    scheduler.advance(rtt / 2);
    const serverTime = scheduler.now() + 5_000;
    scheduler.advance(rtt / 2);
    return Promise.resolve({ t0, serverTime });
  };
  return { ping, sent, goOffline: () => (online = false) };
}

function setup(rtts: number[] = []) {
  const scheduler = new FakeScheduler();
  const debug = newSyncDebug();
  const srv = server(scheduler, rtts);
  let improved = 0;
  const clock = new ClockSync({ ping: srv.ping, scheduler, debug, improved: () => (improved += 1) });
  return { scheduler, debug, srv, clock, improved: () => improved };
}

describe(ClockSync.name, () => {
  it('starts with a round of six pings, then trusts the fastest and tells the server its round trip', async () => {
    const { clock, srv, debug, scheduler, improved } = setup([300, 40, 200, 80, 60, 90]);
    clock.start();
    await settle();
    expect(srv.sent).toEqual([null, 300, 40, 40, 40, 40]);
    expect(debug).toMatchObject({ offsetMs: 5_000, rttMs: 40 });
    expect(clock.serverNow()).toBe(scheduler.now() + 5_000);
    expect(improved()).toBe(1);
  });

  it('pings again every 30 s, and not after stop', async () => {
    const { clock, srv, scheduler } = setup();
    clock.start();
    await settle();
    scheduler.advance(30_000);
    await settle();
    expect(srv.sent).toHaveLength(7);
    clock.stop();
    expect(scheduler.pending).toBe(0);
    scheduler.advance(60_000);
    await settle();
    expect(srv.sent).toHaveLength(7);
  });

  it('ends a round at the first failed ping, without re-planning', async () => {
    const { clock, srv, improved } = setup();
    srv.goOffline();
    clock.start();
    await settle();
    expect(srv.sent).toHaveLength(1);
    expect(improved()).toBe(0);
    expect(clock.serverNow()).toBeLessThan(1_800_000_000_000); // still the local clock
  });

  it('drops replies that arrive after stop', async () => {
    const scheduler = new FakeScheduler();
    let answer: (r: { t0: number; serverTime: number }) => void = () => {};
    let improved = 0;
    const clock = new ClockSync({
      ping: (t0) => new Promise((resolve) => (answer = (r) => resolve({ ...r, t0 }))),
      scheduler,
      debug: newSyncDebug(),
      improved: () => (improved += 1),
    });
    clock.start();
    clock.stop();
    answer({ t0: 0, serverTime: scheduler.now() + 9_000 });
    await settle();
    expect(clock.serverNow()).toBe(scheduler.now());
    expect(improved).toBe(0);
  });
});
