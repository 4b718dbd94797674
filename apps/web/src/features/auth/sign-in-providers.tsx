import { useEffect, useState } from 'react';
import type * as Contracts from '@reelroom/contracts';
import type { AuthOptions, AuthProviderView } from '@reelroom/contracts';
import { api } from '../../api/client';
import { safeNext } from '../../router/router';

// The contract's literal, mirrored so that zod stays out of the bundle (a change there fails to compile).
const SIGN_IN_ERROR_COOKIE: typeof Contracts.SIGN_IN_ERROR_COOKIE = 'reelroom_signin_error';

/** Password sign-in on, no providers: what the page shows until the server says otherwise. */
const PASSWORD_ONLY: AuthOptions = { password: true, providers: [], passwordReset: 'admin' };

/** How one may sign in here (GET /api/auth/options); null while it loads. A failed load keeps the form. */
export function useAuthOptions(): AuthOptions | null {
  const [options, setOptions] = useState<AuthOptions | null>(null);
  useEffect(() => {
    let live = true;
    api.auth
      .options()
      .then((o) => live && setOptions(o))
      .catch(() => live && setOptions(PASSWORD_ONLY));
    return () => {
      live = false;
    };
  }, []);
  return options;
}

function readSignInError(): string | null {
  const entry = document.cookie.split('; ').find((c) => c.startsWith(`${SIGN_IN_ERROR_COOKIE}=`));
  if (!entry) return null;
  try {
    return decodeURIComponent(entry.slice(SIGN_IN_ERROR_COOKIE.length + 1)) || null;
  } catch {
    return null;
  }
}

/**
 * The sentence the server's OIDC callback left (a refused or cancelled sign-in), if any: read once, then
 * the cookie is cleared so a reload does not show it again. A cookie, not the URL: only our server can
 * set it, so no link can put its own sentence on this page.
 */
export function useSignInError(): string | null {
  const [message] = useState(readSignInError);
  useEffect(() => {
    if (message !== null) document.cookie = `${SIGN_IN_ERROR_COOKIE}=; Max-Age=0; Path=/login`;
  }, [message]);
  return message;
}

/**
 * "Continue with <name>" for each configured provider: plain links (a top-level navigation, so the
 * redirect to the provider is not a form submission under the CSP's form-action), carrying where to
 * land afterwards; the server checks that again.
 */
export function ProviderButtons({ providers, search }: { providers: AuthProviderView[]; search: string }) {
  if (providers.length === 0) return null;
  const next = safeNext(search);
  const query = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return (
    <div className="provider-buttons" data-testid="sign-in-providers">
      {providers.map((p) => (
        <a key={p.id} className="button" href={`/api/auth/oidc/${encodeURIComponent(p.id)}${query}`}>
          Continue with {p.name}
        </a>
      ))}
    </div>
  );
}
