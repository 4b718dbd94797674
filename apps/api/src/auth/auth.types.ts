import type { UserView } from '@reelroom/contracts';

export interface UserRecord {
  id: string;
  email: string | null;
  displayName: string;
  passwordHash: string | null;
  isGuest: boolean;
}

/** Where a request comes from, as a session remembers it (ClientAddress, the device cookie, User-Agent). */
export interface ClientInfo {
  address: string;
  deviceId: string | null;
  userAgent: string | null;
}

/** Who is calling: set on the request by AuthGuard. */
export interface AuthContext {
  user: UserView;
  sessionId: string;
}

export const toUserView = (u: { id: string; email: string | null; displayName: string; isGuest: boolean }): UserView => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  isGuest: u.isGuest,
});
