import { describe, expect, it } from 'vitest';
import type { PlayerStatus } from '@reelroom/contracts';
import { playerStateOf, StatusReporter } from './status-reporter';
import { SyncStore } from './sync-store';
import { FakeMediaElement } from './testing/fake-media-element';
import { FakeScheduler } from './testing/fake-scheduler';
import { roomState } from './testing/fake-transport';

function setup() {
  const scheduler = new FakeScheduler();
  const store = new SyncStore();
  const sent: PlayerStatus[] = [];
  let state: PlayerStatus['state'] = 'paused';
  const reporter = new StatusReporter({
    send: (s) => sent.push(s),
    playerState: () => state,
    driftMs: () => store.getSnapshot().driftMs,
    store,
    scheduler,
  });
  return { scheduler, store, sent, reporter, setState: (s: PlayerStatus['state']) => (state = s) };
}

describe(StatusReporter.name, () => {
  it('reports the first status at once, then an unchanged one every 2 s', () => {
    const { reporter, sent, scheduler, store } = setup();
    store.update({ driftMs: 12.6 });
    reporter.report(false);
    expect(sent).toEqual([{ state: 'paused', driftMs: 13, noWait: false }]);
    scheduler.advance(1_999);
    reporter.report(false);
    expect(sent).toHaveLength(1);
    scheduler.advance(1);
    reporter.report(false);
    expect(sent).toHaveLength(2);
  });

  it('reports a change as soon as 500 ms have passed since the last report, with one timer', () => {
    const { reporter, sent, scheduler, setState, store } = setup();
    reporter.report(false);
    scheduler.advance(100);
    setState('buffering');
    reporter.report(true);
    reporter.report(false);
    expect(sent).toHaveLength(1);
    expect(scheduler.pending).toBe(1);
    scheduler.advance(500);
    expect(sent.at(-1)).toEqual({ state: 'buffering', driftMs: 0, noWait: false });
    store.update({ noWait: true });
    scheduler.advance(500);
    reporter.report(true);
    expect(sent.at(-1)).toMatchObject({ noWait: true });
  });

  it('leaves no timer behind when stopped', () => {
    const { reporter, sent, scheduler, setState } = setup();
    reporter.report(false);
    setState('playing');
    reporter.report(false);
    reporter.stop();
    expect(scheduler.pending).toBe(0);
    scheduler.advance(5_000);
    expect(sent).toHaveLength(1);
  });
});

describe(playerStateOf.name, () => {
  it('derives the status from the element and whether the room plays anything', () => {
    const el = new FakeMediaElement();
    expect(playerStateOf(null, roomState())).toBe('idle');
    expect(playerStateOf(el, roomState({ mediaId: null }))).toBe('idle');
    expect(playerStateOf(el, roomState())).toBe('paused');
    el.personPlays();
    expect(playerStateOf(el, roomState())).toBe('playing');
    el.readyState = 2;
    expect(playerStateOf(el, roomState())).toBe('buffering');
    el.ended = true;
    expect(playerStateOf(el, roomState())).toBe('ended');
  });
});
