import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Member, PresenceChange, PresenceList } from '@reelroom/contracts';
import { PRESENCE_GAP_WAIT_MS, PresenceSync } from './presence-sync';
import { member } from './testing/member';

const join = (v: number, userId: string, over: Partial<Member> = {}): PresenceChange => ({
  v,
  kind: 'upsert',
  member: member(userId, over),
});

describe(PresenceSync.name, () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(answer: PresenceList | null) {
    const fetchList = vi.fn(async () => answer);
    const seen: string[][] = [];
    const sync = new PresenceSync(fetchList, (m) => seen.push(m.map((x) => x.userId)));
    return { sync, fetchList, seen };
  }

  it('publishes the snapshot and every delta, without asking the server when nothing is missing', async () => {
    vi.useFakeTimers();
    const { sync, fetchList, seen } = setup(null);
    sync.snapshot(1, [member('ana')]);
    sync.delta({ changes: [join(2, 'bo')] });
    await vi.advanceTimersByTimeAsync(PRESENCE_GAP_WAIT_MS * 2);
    expect(seen).toEqual([['ana'], ['ana', 'bo']]);
    expect(fetchList).not.toHaveBeenCalled();
  });

  it('waits for a late delta, then fetches the whole list when the gap outlasts PRESENCE_GAP_WAIT_MS', async () => {
    vi.useFakeTimers();
    const { sync, fetchList, seen } = setup({ v: 3, members: [member('ana'), member('cy')] });
    sync.snapshot(1, [member('ana')]);
    sync.delta({ changes: [join(3, 'cy')] });
    await vi.advanceTimersByTimeAsync(PRESENCE_GAP_WAIT_MS - 1);
    expect(fetchList).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchList).toHaveBeenCalledOnce();
    expect(seen.at(-1)).toEqual(['ana', 'cy']);
  });

  it('does not resync when the late delta fills the gap in time', async () => {
    vi.useFakeTimers();
    const { sync, fetchList, seen } = setup(null);
    sync.snapshot(1, [member('ana')]);
    sync.delta({ changes: [join(3, 'cy')] });
    sync.delta({ changes: [join(2, 'bo')] });
    await vi.advanceTimersByTimeAsync(PRESENCE_GAP_WAIT_MS * 2);
    expect(fetchList).not.toHaveBeenCalled();
    expect(seen.at(-1)).toEqual(['ana', 'bo', 'cy']);
  });

  it('resyncs at once on a delta that is not valid, and applies nothing from it', async () => {
    const { sync, fetchList, seen } = setup({ v: 7, members: [member('bo')] });
    sync.snapshot(1, [member('ana')]);
    sync.delta({ changes: [{ v: 2, kind: 'upsert', member: { userId: 'x' } }] });
    await vi.waitFor(() => expect(fetchList).toHaveBeenCalledOnce());
    await vi.waitFor(() => expect(seen.at(-1)).toEqual(['bo']));
  });

  it('stops after close: a pending gap fetches nothing', async () => {
    vi.useFakeTimers();
    const { sync, fetchList } = setup(null);
    sync.snapshot(1, []);
    sync.delta({ changes: [join(3, 'cy')] });
    sync.close();
    await vi.advanceTimersByTimeAsync(PRESENCE_GAP_WAIT_MS * 2);
    expect(fetchList).not.toHaveBeenCalled();
  });
});
