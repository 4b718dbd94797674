/**
 * The browsers (device cookies) that have signed in to an account before. The per-account sign-in
 * limit counts them apart from everyone else, so an attacker guessing at an account cannot lock its
 * owner out of their own browser (OWASP's "device cookies" against online guessing). A device id is a
 * random 128-bit httpOnly cookie: it cannot be guessed or read by another site.
 */
export abstract class KnownDevices {
  abstract remember(accountKey: string, deviceId: string): Promise<void>;
  abstract knows(accountKey: string, deviceId: string): Promise<boolean>;
}
