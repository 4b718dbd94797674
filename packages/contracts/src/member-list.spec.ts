import { describe, expect, it } from 'vitest';
import { MemberList } from './member-list.js';
import type { Member, PresenceChange } from './presence.js';

const member = (userId: string, over: Partial<Member> = {}): Member => ({
  userId,
  name: userId.toUpperCase(),
  role: 'viewer',
  isGuest: false,
  connections: 1,
  player: null,
  mutedUntil: null,
  ...over,
});
const join = (v: number, userId: string, over: Partial<Member> = {}): PresenceChange => ({
  v,
  kind: 'upsert',
  member: member(userId, over),
});
const leave = (v: number, userId: string): PresenceChange => ({ v, kind: 'leave', userId });
const ids = (l: { members: Member[] }) => l.members.map((m) => m.userId);

describe(MemberList.name, () => {
  it('applies the next versions on top of the snapshot: arrivals appended, changes in place, departures removed', () => {
    const l = new MemberList();
    l.reset(10, [member('ana'), member('bo')]);
    l.apply([join(11, 'cy'), join(12, 'ana', { role: 'moderator' }), leave(13, 'bo')]);
    expect(l.members).toEqual([member('ana', { role: 'moderator' }), member('cy')]);
    expect(l.version).toBe(13);
    expect(l.gapped).toBe(false);
  });

  it('ignores changes the snapshot already holds (sent before it was read)', () => {
    const l = new MemberList();
    l.reset(10, [member('ana')]);
    l.apply([leave(9, 'ana'), join(10, 'bo')]);
    expect(ids(l)).toEqual(['ana']);
    expect(l.version).toBe(10);
  });

  it('holds back a change after a missing version, and applies both in order once the late one arrives', () => {
    const l = new MemberList();
    l.reset(1, [member('ana')]);
    l.apply([leave(3, 'bo')]);
    expect(l.gapped).toBe(true);
    expect(ids(l)).toEqual(['ana']);
    l.apply([join(2, 'bo')]);
    expect(l.gapped).toBe(false);
    expect(ids(l)).toEqual(['ana']);
    expect(l.version).toBe(3);
  });

  it('keeps deltas that arrive before the first snapshot, and applies those after its version', () => {
    const l = new MemberList();
    l.apply([join(5, 'bo'), join(6, 'cy')]);
    expect(l.members).toEqual([]);
    expect(l.gapped).toBe(false);
    l.reset(5, [member('ana'), member('bo')]);
    expect(ids(l)).toEqual(['ana', 'bo', 'cy']);
    expect(l.gapped).toBe(false);
  });

  it('a resync replaces the list and drops held-back changes it already covers', () => {
    const l = new MemberList();
    l.reset(1, [member('ana')]);
    l.apply([join(3, 'cy'), join(5, 'ed')]);
    l.reset(4, [member('ana'), member('bo'), member('cy')]);
    expect(ids(l)).toEqual(['ana', 'bo', 'cy', 'ed']);
    expect(l.gapped).toBe(false);
  });
});
