import { roomIdSchema } from '@reelroom/contracts';

/**
 * Invite links and room codes. A room's link is `<origin>/r/<id>`; the host may put the PIN in the
 * fragment (`#pin=1234`): browsers never send the fragment to the server, so the PIN stays out of
 * request lines, proxies' and the API's logs (docs/SECURITY.md), and the join page reads it locally.
 */

export interface RoomCode {
  roomId: string;
  pin?: string;
}

const PIN_RE = /^\d{4,12}$/;

/** The PIN carried in a location hash (`#pin=1234`), or undefined when there is none (or it is not a PIN). */
export function pinFromHash(hash: string): string | undefined {
  const pin = new URLSearchParams(hash.replace(/^#/, '')).get('pin') ?? '';
  return PIN_RE.test(pin) ? pin : undefined;
}

/** The link to share: with the PIN in the fragment when the host chose to include it. */
export function inviteUrl(origin: string, roomId: string, pin?: string): string {
  const base = `${origin}/r/${roomId}`;
  return pin && PIN_RE.test(pin) ? `${base}#pin=${pin}` : base;
}

/**
 * What someone pasted into "Join by code": a room link (any origin: a link shared from another address of
 * the same server still names the room), a path `/r/<id>`, or the bare 22-character code. Null otherwise.
 */
export function parseRoomCode(input: string): RoomCode | null {
  const text = input.trim();
  if (roomIdSchema.safeParse(text).success) return { roomId: text };
  const m = /(?:^|\/)r\/([A-Za-z0-9_-]{22})\/?(?:[?#].*)?$/.exec(text);
  if (!m) return null;
  const hashAt = text.indexOf('#');
  const pin = hashAt >= 0 ? pinFromHash(text.slice(hashAt)) : undefined;
  return pin ? { roomId: m[1], pin } : { roomId: m[1] };
}

/** Where "Join" goes for a parsed code: the room's page, keeping the PIN in the fragment. */
export const roomPath = ({ roomId, pin }: RoomCode): string => (pin ? `/r/${roomId}#pin=${pin}` : `/r/${roomId}`);
