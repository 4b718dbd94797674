/**
 * The chat's system lines for moderation: what the room should know happened, said once by the server
 * (kicks, bans, mutes, role changes). Pure: the gateway posts them after the action succeeded.
 */
export type ModerationEvent =
  { kind: 'role'; role: 'moderator' | 'viewer' } | { kind: 'kick'; ban: boolean } | { kind: 'mute'; minutes: number } | { kind: 'host' };

export function moderationLine(actor: string, target: string, e: ModerationEvent): string {
  switch (e.kind) {
    case 'role':
      return e.role === 'moderator' ? `${actor} made ${target} a moderator` : `${actor} removed ${target} as moderator`;
    case 'kick':
      return e.ban ? `${actor} banned ${target}` : `${actor} removed ${target} from the room`;
    case 'mute':
      return e.minutes > 0 ? `${actor} muted ${target} for ${e.minutes} min` : `${actor} unmuted ${target}`;
    case 'host':
      return `${actor} made ${target} the host`;
  }
}
