import type { AuthResponse } from '@reelroom/contracts';
import type { ClientInfo } from './auth.types.js';

/**
 * What RoomsService needs from accounts: a guest user (display name only) with a session, for the room's
 * guest join (limited per client address), and what a ban holds on: the devices and addresses a user's
 * sessions were opened from. AuthService implements it; specs pass a fake.
 */
export abstract class GuestSessions {
  abstract createGuest(displayName: string, client: ClientInfo): Promise<AuthResponse>;
  abstract clientsOf(userId: string): Promise<{ deviceIds: string[]; addresses: string[] }>;
}
