import type { Member } from '@reelroom/contracts';

/** A connected viewer named after their id (`ana` -> `ANA`), for the presence specs. */
export const member = (userId: string, over: Partial<Member> = {}): Member => ({
  userId,
  name: userId.toUpperCase(),
  role: 'viewer',
  isGuest: false,
  connections: 1,
  player: null,
  mutedUntil: null,
  ...over,
});
