import { describe, expect, it } from 'vitest';
import { ElementController, type ElementEvents } from './element-controller';
import { newSyncDebug } from './sync-types';
import { FakeMediaElement } from './testing/fake-media-element';
import { FakeScheduler, settle } from './testing/fake-scheduler';

class RecordedEvents implements ElementEvents {
  readonly log: string[] = [];
  played(): void {
    this.log.push('played');
  }
  paused(position: number): void {
    this.log.push(`paused@${position}`);
  }
  seeking(): void {
    this.log.push('seeking');
  }
  changedRate(rate: number): void {
    this.log.push(`rate=${rate}`);
  }
  metadataLoaded(): void {
    this.log.push('metadata');
  }
  readinessChanged(): void {
    this.log.push('readiness');
  }
}

function setup() {
  const scheduler = new FakeScheduler();
  const debug = newSyncDebug();
  const blocked: boolean[] = [];
  const controller = new ElementController({ scheduler, debug, onBlocked: (b) => blocked.push(b) });
  const el = new FakeMediaElement();
  const events = new RecordedEvents();
  controller.attach(el, events);
  return { scheduler, debug, blocked, controller, el, events };
}

describe(ElementController.name, () => {
  it("reports the person's play, pause, seek and speed, and none of its own", () => {
    const { controller, el, events } = setup();
    controller.seekTo(30, false);
    controller.setRate(1.03);
    controller.play();
    expect(events.log).toEqual([]);

    // Against what the engine wants (playing at 1.03 from 30): the person's doing.
    el.personPauses();
    el.personSeeks(50);
    el.personSetsRate(1.5);
    expect(events.log).toEqual(['paused@30', 'seeking', 'rate=1.5']);

    controller.pause();
    expect(events.log).toHaveLength(3);
    el.personPlays();
    expect(events.log).toEqual(['paused@30', 'seeking', 'rate=1.5', 'played']);
  });

  it('recognises its own seek only near its target and only once', () => {
    const { controller, el, events } = setup();
    controller.seekTo(30, false);
    el.personSeeks(30); // the same spot again, right after: the person
    controller.seekTo(40, false);
    el.settleSeek();
    el.personSeeks(40.2);
    expect(events.log).toEqual(['seeking', 'seeking']);
  });

  it("does not take the player library's seek while a (re)loaded source loads for the person's, and takes theirs after", () => {
    const { el, events } = setup();
    el.startLoading();
    el.loadMetadata();
    el.personSeeks(0.31); // hls.js placing a new source at its start position
    el.settleSeek();
    expect(events.log).toEqual(['metadata']);
    el.canPlay();
    el.personSeeks(42);
    expect(events.log).toEqual(['metadata', 'readiness', 'seeking']);
  });

  it('treats the element reaching the room rate as its own doing once told the rate', () => {
    const { controller, el, events } = setup();
    controller.expectRate(1.25);
    el.personSetsRate(1.25);
    expect(events.log).toEqual([]);
  });

  it('does not take the pause at the end of the media for a person pausing', () => {
    const { controller, el, events } = setup();
    controller.play();
    el.ended = true;
    el.personPauses();
    expect(events.log).toEqual([]);
  });

  it('passes on metadata and readiness changes', () => {
    const { el, events } = setup();
    el.loadMetadata();
    el.fire('waiting');
    el.fire('canplay');
    expect(events.log).toEqual(['metadata', 'readiness', 'readiness']);
  });

  it('removes every listener it added when detached', () => {
    const { controller, el, events } = setup();
    expect(el.listenerCount).toBe(10);
    controller.detach();
    expect(el.listenerCount).toBe(0);
    expect(controller.element).toBeNull();
    el.personPlays();
    expect(events.log).toEqual([]);
  });

  it('measures how long a seek takes to resume playing, and counts the cooldown from when it settled', () => {
    const { controller, el, scheduler } = setup();
    controller.play();
    expect(controller.seekLatencyMs).toBe(150);
    controller.seekTo(40, true);
    expect(controller.seekSettling).toBe(true);
    scheduler.advance(400);
    el.readyState = 2; // 'playing' before enough data is not the end of the seek
    el.fire('playing');
    expect(controller.seekSettling).toBe(true);
    el.readyState = 4;
    el.settleSeek();
    expect(controller.seekSettling).toBe(false);
    expect(controller.seekLatencyMs).toBeCloseTo(150 * 0.7 + 400 * 0.3);
    expect(controller.lastSeekAt).toBe(scheduler.now());
    controller.forgetLastSeek();
    expect(controller.lastSeekAt).toBe(Number.NEGATIVE_INFINITY);
  });

  it('keeps seeks inside the media and counts only corrections and real rate changes', () => {
    const { controller, el, debug } = setup();
    controller.seekTo(500, false);
    expect(el.currentTime).toBe(120);
    controller.seekTo(-3, true);
    expect(el.currentTime).toBe(0);
    controller.setRate(1);
    controller.setRate(1.02);
    expect(debug).toMatchObject({ seeks: 1, rateChanges: 1 });
  });

  it('reports an autoplay refusal, and the next successful start', async () => {
    const { controller, el, blocked } = setup();
    el.autoplayBlocked = true;
    controller.play();
    await settle();
    el.autoplayBlocked = false;
    controller.play();
    await settle();
    expect(blocked).toEqual([true, false]);
  });
});
