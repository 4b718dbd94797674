import { describe, expect, it } from 'vitest';
import { INITIAL_SNAPSHOT, SyncStore } from './sync-store';

describe(SyncStore.name, () => {
  it('hands out a new snapshot, and tells its subscribers, only when a value changed', () => {
    const store = new SyncStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => (calls += 1));
    expect(store.getSnapshot()).toBe(INITIAL_SNAPSHOT);

    store.update({ driftMs: 12 });
    const first = store.getSnapshot();
    expect(first).toMatchObject({ driftMs: 12, autoSync: true });
    store.update({ driftMs: 12, autoSync: true });
    expect(store.getSnapshot()).toBe(first);
    expect(calls).toBe(1);

    unsubscribe();
    store.update({ blocked: true });
    expect(store.getSnapshot().blocked).toBe(true);
    expect(calls).toBe(1);
  });
});
