import { describe, expect, it } from 'vitest';
import type { Member } from '@reelroom/contracts';
import { allowedActions, isMuted, playerLabel, sortMembers } from './presence-format';
import { member } from './testing/member';

const ana = (over: Partial<Member>): Member => member('u', { name: 'Ana', ...over });

describe(playerLabel.name, () => {
  it('says buffering, behind by N s, or ready', () => {
    expect(playerLabel(ana({ player: { state: 'buffering', driftMs: 0, noWait: false } }))).toBe('buffering');
    expect(playerLabel(ana({ player: { state: 'playing', driftMs: -3_200, noWait: false } }))).toBe('behind 3.2 s');
    expect(playerLabel(ana({ player: { state: 'playing', driftMs: -40, noWait: false } }))).toBe('in sync');
    expect(playerLabel(ana({ player: { state: 'paused', driftMs: 0, noWait: false } }))).toBe('ready');
    expect(playerLabel(ana({ connections: 0 }))).toBe('away');
  });
});

describe(isMuted.name, () => {
  it('is muted only until the deadline', () => {
    const until = new Date(10_000).toISOString();
    expect(isMuted(until, 9_999)).toBe(true);
    expect(isMuted(until, 10_001)).toBe(false);
    expect(isMuted(null, 0)).toBe(false);
  });
});

describe(sortMembers.name, () => {
  it('lists the host, then moderators, then viewers, present before away', () => {
    const list = sortMembers([
      ana({ userId: '1', name: 'Zed' }),
      ana({ userId: '2', name: 'Amy', connections: 0 }),
      ana({ userId: '3', name: 'Host', role: 'host' }),
      ana({ userId: '4', name: 'Mo', role: 'moderator' }),
    ]);
    expect(list.map((m) => m.name)).toEqual(['Host', 'Mo', 'Zed', 'Amy']);
  });
});

describe(allowedActions.name, () => {
  it('lets the host promote, demote, mute and kick others, never themselves', () => {
    expect(allowedActions('host', 'h', ana({ userId: 'v' }))).toEqual({
      promote: true,
      demote: false,
      mute: true,
      kick: true,
      makeHost: true,
    });
    // The host role goes only to someone with an account (a guest session ends).
    expect(allowedActions('host', 'h', ana({ userId: 'g', isGuest: true })).makeHost).toBe(false);
    expect(allowedActions('host', 'h', ana({ userId: 'm', role: 'moderator' }))).toMatchObject({ promote: false, demote: true });
    expect(allowedActions('host', 'h', ana({ userId: 'h', role: 'host' }))).toEqual({
      promote: false,
      demote: false,
      mute: false,
      kick: false,
      makeHost: false,
    });
  });

  it('lets moderators act on viewers only, and viewers on nobody', () => {
    expect(allowedActions('moderator', 'm', ana({ userId: 'v' }))).toEqual({
      promote: false,
      demote: false,
      mute: true,
      kick: true,
      makeHost: false,
    });
    expect(allowedActions('moderator', 'm', ana({ userId: 'm2', role: 'moderator' }))).toMatchObject({ mute: false, kick: false });
    expect(allowedActions('viewer', 'v', ana({ userId: 'x' }))).toEqual({
      promote: false,
      demote: false,
      mute: false,
      kick: false,
      makeHost: false,
    });
  });
});
