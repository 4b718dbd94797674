import type { LiveStateView } from '@reelroom/contracts';

/** Read side of the live rules, for the socket join snapshot (LiveService in production). */
export abstract class LiveStates {
  abstract view(roomId: string): Promise<LiveStateView>;
}
