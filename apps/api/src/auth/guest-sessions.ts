import type { AuthResponse } from '@reelroom/contracts';

/**
 * What RoomsService needs from accounts: a guest user (display name only) with a session, for the room's
 * guest join. AuthService implements it; specs pass a fake.
 */
export abstract class GuestSessions {
  abstract createGuest(displayName: string): Promise<AuthResponse>;
}
