import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserScheduler } from './scheduler';
import { SyncEngine } from './sync-engine';
import { FakeMediaElement } from './testing/fake-media-element';
import { FakeScheduler, settle } from './testing/fake-scheduler';
import { FakeTransport, roomState } from './testing/fake-transport';

async function started(offsetMs = 0) {
  const scheduler = new FakeScheduler();
  const transport = new FakeTransport(scheduler);
  transport.offsetMs = offsetMs;
  const engine = new SyncEngine(transport, scheduler);
  const el = new FakeMediaElement();
  engine.start();
  await settle(); // the first clock round
  engine.attach(el);
  return { scheduler, transport, engine, el };
}

/** Sets everything in motion that keeps a timer: a scheduled start, a scrub, a held-back status report. */
function busy(engine: SyncEngine, el: FakeMediaElement) {
  engine.receive(roomState({ paused: false, position: 10, anchorServerTime: engine.serverNow() + 500, seq: 2 }));
  el.settleSeek();
  engine.setNoWait(true); // reported at once
  el.readyState = 2; // starved: 'buffering' within 500 ms of the last report is held back
  el.fire('waiting');
  el.personSeeks(30);
}

describe(SyncEngine.name, () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts a scheduled play at the server instant, on this page’s clock', async () => {
    const { engine, el, scheduler } = await started(60_000);
    engine.receive(roomState({ paused: false, position: 10, anchorServerTime: engine.serverNow() + 400, seq: 2 }));
    expect(engine.snapshot.state?.seq).toBe(2);
    expect(el).toMatchObject({ paused: true, currentTime: 10 });
    el.settleSeek();
    scheduler.advance(400);
    expect(el.paused).toBe(false);
  });

  it('drops an older state and re-applies an equal one', async () => {
    const { engine, el } = await started();
    engine.receive(roomState({ paused: true, position: 20, seq: 5 }));
    engine.receive(roomState({ paused: true, position: 99, seq: 4 }));
    expect(el.currentTime).toBe(20);
    el.settleSeek();
    el.place(25); // moved without telling anyone
    const snapshot = engine.snapshot;
    engine.receive(roomState({ paused: true, position: 20, seq: 5 }));
    expect(el.currentTime).toBe(20);
    expect(engine.snapshot).toBe(snapshot);
  });

  it("turns the person's pause into a command, and puts the element back when the room refuses it", async () => {
    const { engine, el, transport, scheduler } = await started();
    engine.receive(roomState({ paused: false, position: 0, anchorServerTime: engine.serverNow() - 1_000, seq: 3 }));
    el.settleSeek();
    scheduler.advance(250);
    el.personPauses();
    expect(transport.commands).toEqual([{ type: 'pause', position: el.currentTime, baseSeq: 3 }]);
    await settle();
    expect(engine.snapshot.lastError).toBe('Only the host controls playback here.');
    expect(el.paused).toBe(false);
    // Promoted: the refusal no longer applies and goes away.
    engine.setCanControl(false);
    engine.setCanControl(true);
    expect(engine.snapshot).toMatchObject({ lastError: null, canControl: true });
  });

  it('follows the command it sent once the server accepts it, without echoing it back', async () => {
    const { engine, el, transport } = await started();
    engine.receive(roomState({ paused: true, position: 5, seq: 3 }));
    el.settleSeek();
    transport.answer = (cmd) =>
      Promise.resolve({ ok: true, data: roomState({ paused: true, position: cmd.type === 'seek' ? cmd.position : 5, seq: 4 }) });
    engine.send({ type: 'seek', position: 48 });
    await settle();
    expect(el.currentTime).toBe(48);
    expect(transport.commands).toHaveLength(1);
  });

  it('reports an autoplay refusal and tries again on the click', async () => {
    const { engine, el } = await started();
    el.autoplayBlocked = true;
    engine.receive(roomState({ paused: false, position: 0, anchorServerTime: engine.serverNow() - 100, seq: 2 }));
    await settle();
    expect(engine.snapshot.blocked).toBe(true);
    el.autoplayBlocked = false;
    engine.unblock();
    await settle();
    expect(engine.snapshot.blocked).toBe(false);
    expect(el.paused).toBe(false);
  });

  it('with auto-sync off, puts the element back to the room rate', async () => {
    const { engine, el } = await started();
    engine.receive(roomState({ paused: true, rate: 1.5, seq: 2 }));
    el.playbackRate = 1.04;
    engine.setAutoSync(false);
    expect(engine.snapshot.autoSync).toBe(false);
    expect(el.playbackRate).toBe(1.5);
  });

  it("reports an undriven player's own state and drift (a low-latency live), not 'idle', and lets it go", async () => {
    const scheduler = new FakeScheduler();
    const transport = new FakeTransport(scheduler);
    const engine = new SyncEngine(transport, scheduler);
    engine.start();
    await settle();
    scheduler.advance(2_000);
    expect(transport.statuses.at(-1)?.state).toBe('idle'); // no element: "no video"
    const live = new FakeMediaElement();
    let ownDrift: number | null = null;
    const stop = engine.reportFor(live, () => ownDrift);
    expect(transport.statuses.at(-1)).toEqual({ state: 'paused', driftMs: 0, noWait: false });
    scheduler.advance(500);
    await live.play(); // hls.js's player starts itself; the engine does not touch it
    expect(transport.statuses.at(-1)?.state).toBe('playing');
    expect(live.playCalls).toBe(1);
    scheduler.advance(10_000);
    expect(transport.statuses.at(-1)?.state).toBe('playing'); // the engine's periodic report says the same
    ownDrift = -240.4; // the player's own drift (a low-latency live's distance from the room's target)
    scheduler.advance(2_000);
    expect(transport.statuses.at(-1)).toMatchObject({ state: 'playing', driftMs: -240 });
    stop();
    expect(live.listenerCount).toBe(0);
    scheduler.advance(2_000);
    expect(transport.statuses.at(-1)?.state).toBe('idle');
    engine.stop();
  });

  it('stop() leaves no timer and no element listener, and nothing runs afterwards', async () => {
    const { engine, el, scheduler, transport } = await started();
    busy(engine, el);
    expect(scheduler.pending).toBe(5); // clock, loop, scheduled start, scrub, held-back status
    engine.stop();
    expect(scheduler.pending).toBe(0);
    expect(el.listenerCount).toBe(0);
    const counts = [transport.pings.length, transport.commands.length, transport.statuses.length];
    scheduler.advance(120_000);
    await settle();
    expect([transport.pings.length, transport.commands.length, transport.statuses.length]).toEqual(counts);
    expect(el.paused).toBe(true);
  });

  it('stop() clears every timer with the browser scheduler too (no timer outside the Scheduler)', async () => {
    vi.useFakeTimers();
    const transport = new FakeTransport(new FakeScheduler());
    const engine = new SyncEngine(transport, browserScheduler);
    const el = new FakeMediaElement();
    engine.start();
    await settle();
    engine.attach(el);
    busy(engine, el);
    expect(vi.getTimerCount()).toBe(5);
    engine.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(el.listenerCount).toBe(0);
  });

  it('detach() lets go of the element and its scheduled start, but keeps the room', async () => {
    const { engine, el, scheduler } = await started();
    engine.receive(roomState({ paused: false, position: 10, anchorServerTime: engine.serverNow() + 500, seq: 2 }));
    const running = scheduler.pending;
    engine.detach();
    expect(el.listenerCount).toBe(0);
    expect(scheduler.pending).toBe(running - 1);
    const next = new FakeMediaElement();
    engine.attach(next);
    expect(next.currentTime).toBe(10);
  });

  describe('on a live (issue 8)', () => {
    /** The room on its live since 20 s ago at live time 100 s: the room position is 120 s now. */
    async function onLive() {
      const rig = await started(30_000);
      const live = roomState({
        mediaId: null,
        liveId: 'live-1',
        paused: false,
        position: 100,
        anchorServerTime: rig.engine.serverNow() - 20_000,
        seq: 6,
      });
      rig.el.duration = 140; // hls.js: a live's duration is its playlist's end (the edge)
      rig.engine.receive(live);
      rig.el.settleSeek();
      return { ...rig, live };
    }

    it("plays at the room's live position and corrects drift with the same tiers as a video", async () => {
      const { engine, el, scheduler } = await onLive();
      expect(el.paused).toBe(false);
      expect(el.currentTime).toBeCloseTo(120.15); // joined in, aimed ahead by the seek latency
      for (let t = 0; t < 4_000; t += 250) {
        // Past the start catch-up window and the seek cooldown, playing along with the room.
        if (el.seeking) el.settleSeek();
        el.run(250);
        scheduler.advance(250);
      }
      const placed = (engine.serverNow() - engine.snapshot.state!.anchorServerTime) / 1000 + 100 - 0.2; // 200 ms behind
      el.place(placed);
      scheduler.advance(250); // the next tick: 200 to 450 ms behind by then
      expect(engine.snapshot.driftMs).toBeLessThan(-150);
      expect(engine.snapshot.driftMs).toBeGreaterThan(-500);
      expect(el.playbackRate).toBeGreaterThan(1); // a nudge, no seek
      expect(el.currentTime).toBe(placed);
    });

    it("a pause is the person's own: no command, and neither room states nor the drift loop move the element", async () => {
      const { engine, el, transport, scheduler, live } = await onLive();
      el.personPauses();
      await settle();
      expect(transport.commands).toEqual([]);
      expect(engine.snapshot.liveHeld).toBe(true);
      const at = el.currentTime;
      scheduler.advance(10_000);
      engine.receive(live); // the room's reminder
      el.personPlays(); // plays on from where the person is, still behind
      scheduler.advance(5_000);
      expect(el.currentTime).toBe(at);
      expect(el.paused).toBe(false);
      expect(engine.snapshot.liveHeld).toBe(true);
      expect(transport.commands).toEqual([]);
    });

    it('"Jump to live" goes back to the room\'s live position (not the stream\'s edge) and follows it again', async () => {
      const { engine, el, scheduler } = await onLive();
      el.personPauses();
      scheduler.advance(10_000);
      engine.resync();
      expect(engine.snapshot.liveHeld).toBe(false);
      expect(el.paused).toBe(false);
      // 100 + 20 s + 10 s, aimed ahead by the seek latency; the edge (140 s) is not where it goes.
      expect(el.currentTime).toBeCloseTo(130.15, 1);
    });

    it('a switch to another live, or to a video, ends the hold', async () => {
      const { engine, el } = await onLive();
      el.personPauses();
      expect(engine.snapshot.liveHeld).toBe(true);
      engine.receive(roomState({ mediaId: 'm2', paused: true, position: 0, seq: 7 }));
      expect(engine.snapshot.liveHeld).toBe(false);
    });
  });
});
