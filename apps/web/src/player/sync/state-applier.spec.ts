import { describe, expect, it } from 'vitest';
import { StateApplier } from './state-applier';
import { roomState } from './testing/fake-transport';
import { SyncRig } from './testing/sync-rig';

function setup(offsetMs = 0) {
  const rig = new SyncRig(offsetMs);
  const applier = new StateApplier(rig);
  return { rig, applier, el: rig.el };
}

describe(StateApplier.name, () => {
  it('pauses at the room position, leaving alone an element already within the align tolerance', () => {
    const { rig, applier, el } = setup();
    el.place(12.02);
    rig.state = roomState({ paused: true, position: 12 });
    applier.apply();
    expect(el.currentTime).toBe(12.02);
    rig.state = roomState({ paused: true, position: 30, rate: 1.5, seq: 2 });
    applier.apply();
    expect(el).toMatchObject({ paused: true, currentTime: 30, playbackRate: 1.5 });
  });

  it('holds a scheduled start at its frame and starts at the server instant, in local time', () => {
    const { rig, applier, el } = setup(5_000); // the server clock is 5 s ahead of ours
    el.place(3);
    rig.state = roomState({ paused: false, position: 10, anchorServerTime: rig.serverNow() + 400 });
    applier.apply();
    expect(el).toMatchObject({ paused: true, currentTime: 10 });
    el.settleSeek();
    rig.scheduler.advance(399);
    expect(el.paused).toBe(true);
    rig.scheduler.advance(1);
    expect(el.paused).toBe(false);
    // The start opened the catch-up window: a late start is closed with one seek.
    expect(rig.catchUp.take(-300, rig.scheduler.now() + 100, true)).toBe(true);
  });

  it('re-plans a pending start when applied again, so only one start timer exists', () => {
    const { rig, applier } = setup();
    rig.state = roomState({ paused: false, position: 10, anchorServerTime: rig.serverNow() + 400 });
    applier.apply();
    applier.apply();
    expect(rig.scheduler.pending).toBe(1);
    applier.cancelScheduledStart();
    expect(rig.scheduler.pending).toBe(0);
  });

  it('joins playback in progress at the live position, aimed ahead by the seek latency', () => {
    const { rig, applier, el } = setup();
    rig.state = roomState({ paused: false, position: 10, rate: 2, anchorServerTime: rig.serverNow() - 3_000 });
    applier.apply();
    // 10 + 3 s x 2, plus 150 ms of seek latency at 2x
    expect(el.currentTime).toBeCloseTo(16.3);
    expect(el.paused).toBe(false);
  });

  it('leaves a playing element that is close to the drift loop, and seeks one that is far off', () => {
    const { rig, applier, el } = setup();
    el.place(15.5);
    void el.play();
    rig.state = roomState({ paused: false, position: 10, anchorServerTime: rig.serverNow() - 5_000 });
    applier.apply();
    expect(el.currentTime).toBe(15.5);
    el.place(13);
    applier.apply();
    expect(el.currentTime).toBe(15); // a playing element is not latency-compensated here
  });

  it('waits for the metadata before touching the element', () => {
    const { rig, applier, el } = setup();
    el.readyState = 0;
    rig.state = roomState({ paused: true, position: 30 });
    applier.apply();
    expect(el.currentTime).toBe(0);
  });

  it('resyncs straight to the live position, ignoring the cooldown of an earlier seek', () => {
    const { rig, applier, el } = setup();
    rig.state = roomState({ paused: false, position: 10, anchorServerTime: rig.serverNow() - 1_000 });
    rig.controller.seekTo(2, false);
    applier.resync();
    expect(rig.controller.lastSeekAt).toBe(rig.scheduler.now()); // the resync's own seek
    expect(el.currentTime).toBeCloseTo(11.15);
    expect(rig.debug.seeks).toBe(1);
    expect(el.paused).toBe(false);
  });
});
