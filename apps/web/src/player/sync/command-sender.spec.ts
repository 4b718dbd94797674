import { describe, expect, it } from 'vitest';
import type { PlaybackStateView } from '@reelroom/contracts';
import { CommandSender } from './command-sender';
import { FakeMediaElement } from './testing/fake-media-element';
import { FakeScheduler, settle } from './testing/fake-scheduler';
import { FakeTransport, roomState } from './testing/fake-transport';
import { SyncStore } from './sync-store';
import type { LiveAction } from './sync-math';

function setup(initial: PlaybackStateView | null = roomState({ seq: 7 })) {
  let state = initial;
  const scheduler = new FakeScheduler();
  const transport = new FakeTransport(scheduler);
  const store = new SyncStore();
  const el = new FakeMediaElement();
  const accepted: PlaybackStateView[] = [];
  const personal: LiveAction[] = [];
  let refused = 0;
  const sender = new CommandSender({
    command: (cmd) => transport.command(cmd),
    room: () => state,
    element: () => el,
    store,
    scheduler,
    accepted: (s) => accepted.push(s),
    refused: () => (refused += 1),
    personalOnLive: (action) => personal.push(action),
  });
  const setRoom = (next: PlaybackStateView) => (state = next);
  return { scheduler, transport, store, el, sender, accepted, personal, setRoom, refused: () => refused };
}

describe(CommandSender.name, () => {
  it("sends the person's play, pause and speed, based on the seq this page has seen", () => {
    const { sender, transport } = setup();
    sender.played();
    sender.paused(42.5);
    sender.changedRate(1.2345);
    sender.changedRate(4);
    expect(transport.commands).toEqual([
      { type: 'play', baseSeq: 7 },
      { type: 'pause', position: 42.5, baseSeq: 7 },
      { type: 'rate', rate: 1.23, baseSeq: 7 },
      { type: 'rate', rate: 2, baseSeq: 7 },
    ]);
  });

  it('sends nothing while the room plays no media', () => {
    const { sender, transport, scheduler } = setup(roomState({ mediaId: null }));
    sender.played();
    sender.seeking();
    scheduler.advance(1_000);
    expect(transport.commands).toEqual([]);
  });

  it('puts the element back without asking the server while the person may not control playback', () => {
    const { sender, transport, scheduler, store, refused } = setup();
    store.update({ canControl: false });
    sender.played();
    sender.paused(3);
    sender.seeking();
    sender.changedRate(1.5);
    scheduler.advance(1_000);
    expect(transport.commands).toEqual([]);
    expect(refused()).toBe(4);
    store.update({ canControl: true });
    sender.played();
    expect(transport.commands).toEqual([{ type: 'play', baseSeq: 7 }]);
  });

  it('sends one seek, to where scrubbing came to rest', () => {
    const { sender, transport, scheduler, el } = setup();
    for (const sec of [10, 20, 30]) {
      el.place(sec);
      sender.seeking();
      scheduler.advance(100);
    }
    expect(transport.commands).toEqual([]);
    scheduler.advance(50);
    expect(transport.commands).toEqual([{ type: 'seek', position: 30, baseSeq: 7 }]);
  });

  it('sends the resting seek to where the person put the element, based on the seq they saw then, whatever the element does meanwhile', () => {
    const { sender, transport, scheduler, el, setRoom } = setup();
    el.place(0); // a seek to 0:00, then at once a speed change
    sender.seeking();
    sender.changedRate(0.5);
    // The answer to the speed change arrives, and the room state puts the element back to the room's place.
    setRoom(roomState({ seq: 8, position: 42, rate: 0.5 }));
    el.place(42);
    scheduler.advance(150);
    expect(transport.commands).toEqual([
      { type: 'rate', rate: 0.5, baseSeq: 7 },
      { type: 'seek', position: 0, baseSeq: 7 },
    ]);
  });

  it('fills in the seq seen for commands from our own UI', () => {
    const { sender, transport } = setup();
    sender.send({ type: 'media', mediaId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11' });
    sender.send({ type: 'play', baseSeq: 3 });
    sender.setRoomRate(1.5);
    expect(transport.commands).toEqual([
      { type: 'media', mediaId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11', baseSeq: 7 },
      { type: 'play', baseSeq: 3 },
      { type: 'rate', rate: 1.5, baseSeq: 7 },
    ]);
  });

  it('applies the state the server answers with and clears an earlier error', async () => {
    const { sender, transport, store, accepted } = setup();
    store.update({ lastError: 'earlier' });
    const next = roomState({ seq: 8, paused: false });
    transport.answer = () => Promise.resolve({ ok: true, data: next });
    sender.played();
    await settle();
    expect(accepted).toEqual([next]);
    expect(store.getSnapshot().lastError).toBeNull();
  });

  it('shows a refusal and puts the element back to the room state; a failure puts it back too', async () => {
    const { sender, transport, store, refused } = setup();
    sender.played();
    await settle();
    expect(store.getSnapshot().lastError).toBe('Only the host controls playback here.');
    expect(refused()).toBe(1);
    transport.answer = () => Promise.reject(new Error('socket closed'));
    sender.paused(3);
    await settle();
    expect(refused()).toBe(2);
  });

  it('drops a pending scrub when stopped', () => {
    const { sender, transport, scheduler } = setup();
    sender.seeking();
    sender.stop();
    expect(scheduler.pending).toBe(0);
    scheduler.advance(1_000);
    expect(transport.commands).toEqual([]);
  });

  it('is pending from the first scrub step until the answer to its seek arrives', async () => {
    const { sender, transport, scheduler, el } = setup();
    let answer = (_: { ok: true; data: PlaybackStateView }) => undefined as void;
    transport.answer = () => new Promise((r) => (answer = r));
    expect(sender.pending).toBe(false);
    el.place(30);
    sender.seeking();
    expect(sender.pending).toBe(true);
    scheduler.advance(150);
    expect(transport.commands).toHaveLength(1);
    expect(sender.pending).toBe(true);
    answer({ ok: true, data: roomState({ seq: 8, position: 30 }) });
    await expect.poll(() => sender.pending).toBe(false);
  });

  it('is no longer pending when its command fails', async () => {
    const { sender, transport } = setup();
    transport.answer = () => Promise.reject(new Error('timeout'));
    sender.played();
    expect(sender.pending).toBe(true);
    await expect.poll(() => sender.pending).toBe(false);
  });

  it("keeps the person's play, pause, seek and speed on a live to themselves: no command, nothing put back", async () => {
    const { sender, transport, scheduler, personal, refused, store } = setup(
      roomState({ mediaId: null, liveId: 'live-1', paused: false, seq: 4 }),
    );
    store.update({ canControl: false }); // a viewer without control may still pause their own live
    sender.paused(12);
    sender.seeking();
    scheduler.advance(1_000);
    sender.played();
    sender.changedRate(1.5);
    await settle();
    expect(transport.commands).toEqual([]);
    expect(personal).toEqual(['pause', 'seek', 'play', 'rate']);
    expect(refused()).toBe(0);
    expect(sender.pending).toBe(false);
  });
});
