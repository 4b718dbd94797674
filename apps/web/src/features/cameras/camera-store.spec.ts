import { describe, expect, it } from 'vitest';
import type { CameraPeer } from '@reelroom/contracts';
import { CameraStore, initialCameraState, initialOf, othersOf, othersSpeaking, removePeer, upsertPeer } from './camera-store';

const peer = (peerId: string, name = peerId, audio = true): CameraPeer => ({ peerId, userId: `u-${peerId}`, name, audio, video: true });

describe('camera roster', () => {
  it('adds, replaces in place and removes peers, in join order', () => {
    let r = upsertPeer([], peer('a'));
    r = upsertPeer(r, peer('b'));
    r = upsertPeer(r, { ...peer('a'), audio: false });
    expect(r.map((p) => [p.peerId, p.audio])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(removePeer(r, 'a').map((p) => p.peerId)).toEqual(['b']);
  });

  it('shows the others without me, and says whether any of them is speaking with their microphone on', () => {
    const s = {
      ...initialCameraState(),
      roster: [peer('me'), peer('b'), peer('c', 'Cy', false)],
      me: { ...initialCameraState().me, peerId: 'me' },
    };
    expect(othersOf(s).map((p) => p.peerId)).toEqual(['b', 'c']);
    expect(othersSpeaking(s)).toBe(false);
    expect(othersSpeaking({ ...s, remote: { c: { stream: null, speaking: true, connection: 'connected' } } })).toBe(false); // muted
    expect(othersSpeaking({ ...s, remote: { b: { stream: null, speaking: true, connection: 'connected' } } })).toBe(true);
  });

  it('draws an initial for the avatar', () => {
    expect(initialOf('ana')).toBe('A');
    expect(initialOf('  émile')).toBe('É');
    expect(initialOf('')).toBe('?');
  });
});

describe(CameraStore.name, () => {
  it('tells listeners about real changes only', () => {
    const store = new CameraStore(initialCameraState());
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.setRemote('b', { speaking: false });
    store.setRemote('b', { speaking: false });
    store.setRemote('b', { speaking: true });
    store.dropRemote('b');
    store.dropRemote('b');
    expect(calls).toBe(3);
    off();
    store.setRemote('c', {});
    expect(calls).toBe(3);
    expect(store.get().remote.c).toEqual({ stream: null, speaking: false, connection: 'new' });
  });
});
