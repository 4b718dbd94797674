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
