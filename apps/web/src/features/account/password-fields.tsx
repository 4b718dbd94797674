import { useState } from 'react';
import type * as Contracts from '@reelroom/contracts';
// The password rules alone (no zod): the form tells what the API would refuse while the person types.
import { passwordWeakness } from '@reelroom/contracts/password-policy';

// Mirrors of the contract's limits (importing the values would pull zod into the bundle).
export const PASSWORD_MIN: typeof Contracts.PASSWORD_MIN = 8;
export const PASSWORD_MAX: typeof Contracts.PASSWORD_MAX = 256;

/** A "new password" field with the rules shown (and the reason it is weak) as the person types. */
export function NewPasswordField({ id, label, context }: { id: string; label: string; context: { email?: string; displayName?: string } }) {
  const [weakness, setWeakness] = useState<string | null>(null);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        maxLength={PASSWORD_MAX}
        aria-describedby={`${id}-hint`}
        onInput={(e) => setWeakness(e.currentTarget.value ? passwordWeakness(e.currentTarget.value, context) : null)}
      />
      <p className="hint" id={`${id}-hint`} aria-live="polite">
        {weakness ?? `At least ${PASSWORD_MIN} characters; not a common password, a sequence, or your email.`}
      </p>
    </>
  );
}
