import { MemberList, presenceDeltaSchema, type Member, type PresenceList } from '@reelroom/contracts';

/**
 * How long a gap in the presence versions may last before the whole list is fetched again: longer than
 * a delta batch (100 ms) plus the hop through Redis from another API process, so a change that is only
 * late never costs a resync.
 */
export const PRESENCE_GAP_WAIT_MS = 1_000;

/**
 * Keeps a room's MemberList in step with the server: the join snapshot, then each `presence:delta`
 * (validated with the contract's schema); a delta that fails validation, or a gap in the versions that
 * lasts PRESENCE_GAP_WAIT_MS, fetches the whole list (`presence:get`). `publish` gets the list after
 * every change.
 */
export class PresenceSync {
  private readonly list = new MemberList();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly fetchList: () => Promise<PresenceList | null>,
    private readonly publish: (members: Member[]) => void,
  ) {}

  snapshot(v: number, members: Member[]): void {
    this.list.reset(v, members);
    this.publish(this.list.members);
  }

  delta(payload: unknown): void {
    const parsed = presenceDeltaSchema.safeParse(payload);
    if (!parsed.success) return void this.resync();
    this.list.apply(parsed.data.changes);
    this.publish(this.list.members);
    if (this.list.gapped && !this.gapTimer)
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        if (this.list.gapped) void this.resync();
      }, PRESENCE_GAP_WAIT_MS);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.gapTimer);
  }

  private async resync(): Promise<void> {
    const whole = await this.fetchList();
    if (this.closed || !whole) return;
    this.snapshot(whole.v, whole.members);
  }
}
