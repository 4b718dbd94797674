import type { PlaybackStateView } from '@reelroom/contracts';
import { DEFAULT_POLICY } from '@reelroom/sync';
import { ElementController, type ElementEvents } from '../element-controller';
import { CatchUpWindow } from '../sync-math';
import { SyncStore } from '../sync-store';
import { newSyncDebug } from '../sync-types';
import { FakeMediaElement } from './fake-media-element';
import { FakeScheduler } from './fake-scheduler';

/** Element events nobody listens to: for parts tested on their own, with the controller driving the element. */
export const ignoreElementEvents: ElementEvents = {
  played: () => {},
  paused: () => {},
  seeking: () => {},
  changedRate: () => {},
  metadataLoaded: () => {},
  readinessChanged: () => {},
};

/**
 * What the sync parts share, built from fakes: an element under an ElementController, a fake clock
 * whose server runs `offsetMs` ahead, the room state a test sets, the store and the catch-up window.
 */
export class SyncRig {
  readonly scheduler = new FakeScheduler();
  readonly debug = newSyncDebug();
  readonly store = new SyncStore();
  readonly el = new FakeMediaElement();
  readonly policy = DEFAULT_POLICY;
  readonly catchUp = new CatchUpWindow(DEFAULT_POLICY);
  readonly controller = new ElementController({
    scheduler: this.scheduler,
    debug: this.debug,
    onBlocked: (blocked) => this.store.update({ blocked }),
  });
  state: PlaybackStateView | null = null;

  constructor(private readonly offsetMs = 0) {
    this.controller.attach(this.el, ignoreElementEvents);
  }

  readonly room = (): PlaybackStateView | null => this.state;
  readonly liveHeld = (): boolean => this.store.getSnapshot().liveHeld;
  readonly serverNow = (): number => this.scheduler.now() + this.offsetMs;
}
