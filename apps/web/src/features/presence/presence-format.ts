import type { Member } from '@reelroom/contracts';

/** Drift above this counts as "behind" in the list (the sync engine corrects smaller drift itself). */
export const BEHIND_THRESHOLD_MS = 1_000;

/** What the People list says about someone's player: "ready", "buffering", "behind 3.2 s"… */
export function playerLabel(member: Pick<Member, 'player' | 'connections'>): string {
  if (member.connections === 0) return 'away';
  const p = member.player;
  if (!p) return 'no video';
  if (p.state === 'buffering') return 'buffering';
  if (p.driftMs <= -BEHIND_THRESHOLD_MS) return `behind ${(-p.driftMs / 1000).toFixed(1)} s`;
  if (p.driftMs >= BEHIND_THRESHOLD_MS) return `ahead ${(p.driftMs / 1000).toFixed(1)} s`;
  switch (p.state) {
    case 'idle':
      return 'no video';
    case 'playing':
      return 'in sync';
    case 'paused':
    case 'ready':
      return 'ready';
    case 'ended':
      return 'ended';
  }
}

export function isMuted(mutedUntil: string | null, now: number): boolean {
  return mutedUntil !== null && Date.parse(mutedUntil) > now;
}

const ROLE_ORDER = { host: 0, moderator: 1, viewer: 2 } as const;

/** Host first, then moderators, then viewers; present before away; then by name. */
export function sortMembers(members: Member[]): Member[] {
  return [...members].sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || Number(b.connections > 0) - Number(a.connections > 0) || a.name.localeCompare(b.name),
  );
}

/** Which moderation actions `me` may take on `target` (mirrors the server's rules; the server decides). */
export function allowedActions(me: Member['role'] | null, myId: string | null, target: Member) {
  const self = target.userId === myId;
  const canModerate = !self && (me === 'host' || (me === 'moderator' && target.role === 'viewer'));
  return {
    promote: !self && me === 'host' && target.role === 'viewer',
    demote: !self && me === 'host' && target.role === 'moderator',
    mute: canModerate && target.role !== 'host',
    kick: canModerate && target.role !== 'host',
    /** Hand the host role over: the host, to someone else here with an account (guest sessions end). */
    makeHost: !self && me === 'host' && target.role !== 'host' && !target.isGuest,
  };
}
