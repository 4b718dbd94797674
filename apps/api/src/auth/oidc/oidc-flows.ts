import type { SignInChecks } from './oidc-client.js';

/** One sign-in on its way through a provider, from the redirect there to the callback. */
export interface PendingSignIn extends SignInChecks {
  provider: string;
  /** The exact redirect_uri sent to the provider: the callback rebuilds the answer's URL on it. */
  redirectUri: string;
  /** Where in the web app to land afterwards (a same-origin path, safeReturnPath). */
  returnTo: string;
}

/**
 * Pending sign-ins, kept on the server (RedisOidcFlows) under a random id that only the browser which
 * started the sign-in holds, in a short-lived httpOnly cookie. A flow is taken once: a replayed callback,
 * or one arriving in another browser (login CSRF), finds nothing.
 */
export abstract class OidcFlows {
  /** Keeps the flow for `ttlMs`; returns its id. */
  abstract save(flow: PendingSignIn, ttlMs: number): Promise<string>;
  /** The flow, removed at once (atomically: two callbacks racing get it once); null when unknown or expired. */
  abstract take(id: string): Promise<PendingSignIn | null>;
}
