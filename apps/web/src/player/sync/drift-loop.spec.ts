import { describe, expect, it } from 'vitest';
import { DriftLoop, LOOP_MS } from './drift-loop';
import { roomState } from './testing/fake-transport';
import { SyncRig } from './testing/sync-rig';

/** A room playing from 10 s since 10 s ago, so expected position is 20 s; the element is where a test places it. */
function setup() {
  const rig = new SyncRig();
  let ticks = 0;
  const person = { pending: false };
  const loop = new DriftLoop({
    ...rig,
    room: rig.room,
    serverNow: rig.serverNow,
    personPending: () => person.pending,
    afterTick: () => (ticks += 1),
  });
  rig.state = roomState({ paused: false, position: 10, anchorServerTime: rig.serverNow() - 10_000 });
  void rig.el.play();
  return { rig, loop, el: rig.el, ticks: () => ticks, person };
}

describe(DriftLoop.name, () => {
  it('measures the drift and nudges the rate for a small one', () => {
    const { rig, loop, el } = setup();
    el.place(19.91); // 90 ms behind
    loop.tick();
    expect(rig.store.getSnapshot().driftMs).toBeCloseTo(-90);
    expect(rig.debug.driftMs).toBeCloseTo(-90);
    expect(el.playbackRate).toBe(1.03);
  });

  it('seeks, aimed ahead by the seek latency, when far off', () => {
    const { loop, el } = setup();
    el.place(17);
    loop.tick();
    expect(el.currentTime).toBeCloseTo(20.15);
  });

  it('closes a late start with one catch-up seek inside the window, then leaves the rest to nudges', () => {
    const { rig, loop, el } = setup();
    rig.catchUp.open(rig.scheduler.now());
    el.place(19.7);
    loop.tick();
    expect(el.currentTime).toBeCloseTo(20.15);
    el.settleSeek();
    rig.scheduler.advance(rig.policy.seekCooldownMs); // still inside the window; expected is now 21.5 s
    el.place(21.2);
    loop.tick();
    expect(el.currentTime).toBe(21.2);
    expect(el.playbackRate).toBe(1.05);
  });

  it('with auto-sync off, only brings the element back to the room rate', () => {
    const { rig, loop, el } = setup();
    rig.store.update({ autoSync: false });
    rig.controller.setRate(1.04);
    el.place(17);
    loop.tick();
    expect(el.currentTime).toBe(17);
    expect(el.playbackRate).toBe(1);
  });

  it('leaves the element where the person put it while their command is under way (a scrub is not undone)', () => {
    const { loop, el, person, rig } = setup();
    person.pending = true;
    el.place(45); // scrubbed far ahead of the room's 20 s; the seek is not sent or not answered yet
    loop.tick();
    expect(el.currentTime).toBe(45);
    expect(rig.store.getSnapshot().driftMs).toBeNull();
    person.pending = false;
    loop.tick();
    expect(el.currentTime).toBeCloseTo(20.15);
  });

  it('at the end of the video, the room past it is where the element is: no drift, no seek', () => {
    const { rig, loop, el } = setup();
    el.duration = 15; // the room (at 20 s) ran past the end
    el.place(14.2);
    loop.tick();
    expect(rig.store.getSnapshot().driftMs).toBeCloseTo(-800);
    el.place(15);
    el.ended = true;
    el.paused = true;
    loop.tick();
    expect(rig.store.getSnapshot().driftMs).toBeNull();
    expect(el.currentTime).toBe(15);
  });

  it('measures nothing while its seek settles, while waiting for data, or before a scheduled start', () => {
    const { rig, loop, el } = setup();
    rig.controller.seekTo(17, false);
    loop.tick();
    el.settleSeek();
    el.readyState = 2;
    loop.tick();
    el.readyState = 4;
    rig.state = roomState({ paused: false, position: 10, anchorServerTime: rig.serverNow() + 300 });
    loop.tick();
    expect(rig.store.getSnapshot().driftMs).toBeNull();
    expect(el.currentTime).toBe(17);
  });

  it('paused and close to the room position: the drift figure goes away', () => {
    const { rig, loop, el } = setup();
    rig.store.update({ driftMs: -2_400 });
    rig.state = roomState({ paused: true, position: 20 });
    el.place(18);
    loop.tick();
    expect(rig.store.getSnapshot().driftMs).toBe(-2_400);
    el.place(19.5);
    loop.tick();
    expect(rig.store.getSnapshot().driftMs).toBeNull();
  });

  it(`ticks every ${LOOP_MS} ms until stopped`, () => {
    const { rig, loop, ticks } = setup();
    loop.start();
    rig.scheduler.advance(LOOP_MS * 4);
    expect(ticks()).toBe(4);
    loop.stop();
    expect(rig.scheduler.pending).toBe(0);
    rig.scheduler.advance(LOOP_MS * 4);
    expect(ticks()).toBe(4);
  });
});
