import type { Member, PresenceChange } from './presence.js';

/**
 * The room's presence list as this client holds it (issue 10): a base (the join snapshot or a
 * `presence:get` answer) at a version, plus the `presence:delta` changes after it, applied strictly in
 * version order. A change that arrives early (its predecessor is still on its way from another API
 * process, or was lost in a reconnect) waits; `gapped` says the list is waiting for a missing version,
 * and the owner resyncs with the whole list if the gap does not fill soon. Pure: no socket, no timers.
 * The protocol's client half, here so the web app (features/presence) and the tests apply deltas alike.
 */
export class MemberList {
  private base: number | null = null;
  private list: Member[] = [];
  private readonly early = new Map<number, PresenceChange>();

  /** The version the list is at; null before the first snapshot. */
  get version(): number | null {
    return this.base;
  }

  /** People in the order they were first seen (the panel sorts them for display). */
  get members(): Member[] {
    return this.list;
  }

  /** True while changes after a missing version are held back (before the first snapshot nothing is missing yet). */
  get gapped(): boolean {
    return this.base !== null && this.early.size > 0;
  }

  /** Takes the whole list at version `v`, then whatever held-back changes come after it. */
  reset(v: number, members: Member[]): void {
    this.base = v;
    this.list = [...members];
    for (const held of this.early.keys()) if (held <= v) this.early.delete(held);
    this.drain();
  }

  /** Applies the changes in order; old ones (already in the list) are ignored, early ones held back. */
  apply(changes: PresenceChange[]): void {
    for (const c of changes) if (this.base === null || c.v > this.base) this.early.set(c.v, c);
    this.drain();
  }

  private drain(): void {
    if (this.base === null) return;
    for (let next = this.early.get(this.base + 1); next; next = this.early.get(this.base + 1)) {
      this.early.delete(next.v);
      this.base = next.v;
      this.list = MemberList.applyOne(this.list, next);
    }
  }

  private static applyOne(list: Member[], c: PresenceChange): Member[] {
    if (c.kind === 'leave') return list.filter((m) => m.userId !== c.userId);
    const at = list.findIndex((m) => m.userId === c.member.userId);
    return at < 0 ? [...list, c.member] : list.map((m, i) => (i === at ? c.member : m));
  }
}
