import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from './auth.js';
import { nameText, plainText } from './text.js';

/*
 * Account basics (issue 12): the display name, the password, and a forgotten password reset by email
 * (or by a link an administrator hands over when the server sends no mail).
 */

/** PATCH /api/auth/me */
export const updateMeBodySchema = z.object({ displayName: nameText(60) }).strict();
export type UpdateMeBody = z.input<typeof updateMeBodySchema>;

/** POST /api/auth/password: the current password proves it is the owner at the keyboard. */
export const changePasswordBodySchema = z
  .object({
    currentPassword: plainText().min(1, 'Type your current password.').max(PASSWORD_MAX),
    newPassword: plainText().min(PASSWORD_MIN).max(PASSWORD_MAX),
  })
  .strict();
export type ChangePasswordBody = z.input<typeof changePasswordBodySchema>;

const emailField = plainText()
  .max(254)
  .transform((e) => e.trim().toLowerCase())
  .pipe(z.email('Type the email address of your account.'));

/** POST /api/auth/password-reset: "Forgot password?". */
export const passwordResetRequestSchema = z.object({ email: emailField }).strict();
export type PasswordResetRequest = z.input<typeof passwordResetRequestSchema>;

/** The one-time reset token: 32 random bytes, base64url (43 characters). */
export const resetTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'This reset link is incomplete. Copy the whole link from the email, or ask for a new one.');

/** POST /api/auth/password-reset/confirm */
export const passwordResetConfirmSchema = z
  .object({ token: resetTokenSchema, password: plainText().min(PASSWORD_MIN).max(PASSWORD_MAX) })
  .strict();
export type PasswordResetConfirm = z.input<typeof passwordResetConfirmSchema>;

/** POST /api/admin/password-reset-links: an administrator issues a reset link for an account. */
export const adminResetLinkBodySchema = z.object({ email: emailField }).strict();
export type AdminResetLinkBody = z.input<typeof adminResetLinkBodySchema>;

/**
 * The reset page's path with the token in the fragment: a fragment is never sent to a server, so the
 * token stays out of access logs and Referer headers.
 */
export const resetPath = (token: string) => `/reset-password#token=${token}`;

export const adminResetLinkViewSchema = z.object({
  /** Relative: the console puts its own origin in front (PUBLIC_URL may be unset). */
  path: z.string(),
  expiresAt: z.string(),
});
export type AdminResetLinkView = z.infer<typeof adminResetLinkViewSchema>;

/** The one answer to "Forgot password?", whether or not an account has that email (no enumeration). */
export const PASSWORD_RESET_REQUESTED =
  'If an account has this email, a link to choose a new password is on its way. It works once, for a limited time.';

/** The one answer for a reset token that is unknown, used, expired or superseded. */
export const RESET_TOKEN_INVALID =
  'This reset link is not valid any more (it was used, it expired, or a newer one was sent). Ask for a new one.';

/** When the server sends no mail (SMTP_URL unset). */
export const RESET_BY_ADMIN = 'This server does not send email. Ask an administrator for a password reset link.';
