import { z } from 'zod';
import { nameText, plainText } from './text.js';

// Passwords are capped so that a 1 MB "password" cannot be used to burn argon2 CPU (hash DoS).
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const registerBodySchema = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.trim().toLowerCase()),
  password: plainText().min(PASSWORD_MIN).max(PASSWORD_MAX),
  displayName: nameText(60),
});
export type RegisterBody = z.input<typeof registerBodySchema>;

export const loginBodySchema = z.object({
  email: plainText()
    .max(254)
    .transform((e) => e.trim().toLowerCase()),
  password: plainText().min(1).max(PASSWORD_MAX),
});
export type LoginBody = z.input<typeof loginBodySchema>;

export interface UserView {
  id: string;
  /** null for guests */
  email: string | null;
  displayName: string;
  /** Guests joined one room with a display name only: they can watch and chat, not upload. */
  isGuest: boolean;
}

export interface AuthResponse {
  user: UserView;
  accessToken: string;
}

/** Name of the httpOnly cookie that carries the same opaque token as `accessToken`. */
export const SESSION_COOKIE = 'reelroom_session';

/**
 * A long-lived httpOnly cookie naming the browser (random, not a secret): a room ban also holds against
 * new guests from the same browser, and the list of one's sessions can tell browsers apart.
 */
export const DEVICE_COOKIE = 'reelroom_device';

/** One of the caller's sessions (GET /api/auth/sessions). */
export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  /** The client address it was opened from, and the browser's User-Agent, as far as known. */
  address: string | null;
  userAgent: string | null;
  /** The session this request is made with. */
  current: boolean;
}

/** An OpenID Connect provider one may sign in with (GET /api/auth/providers). */
export interface AuthProviderView {
  id: string;
  /** For "Continue with <name>". */
  name: string;
}

/** How one may sign in here (GET /api/auth/options): the sign-in page shows exactly these. */
export interface AuthOptions {
  /** False when the operator turned password sign-in and registration off (PASSWORD_LOGIN=off). */
  password: boolean;
  providers: AuthProviderView[];
  /**
   * How a forgotten password is reset (issue 12): `email` when the server sends mail (SMTP_URL), else
   * `admin` (the sign-in page says to ask an administrator for a reset link).
   */
  passwordReset: 'email' | 'admin';
}

/**
 * When a sign-in with a provider fails, the OIDC callback redirects to /login and leaves the sentence for
 * the person in this cookie (readable by the page, path /login, one minute); the page shows it once and
 * clears it. Not a query parameter: a link could then put any sentence of its author's on our page.
 */
export const SIGN_IN_ERROR_COOKIE = 'reelroom_signin_error';
