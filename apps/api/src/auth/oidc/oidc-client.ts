import type { OidcProviderConfig } from '../../config/oidc-providers.js';

/** The values one sign-in is checked with on its way back: kept by us (OidcFlows), never by the browser. */
export interface SignInChecks {
  state: string;
  nonce: string;
  /** PKCE: only its S256 hash goes to the provider; the verifier itself goes with the code. */
  codeVerifier: string;
}

/** Who the provider says signed in: the ID token's (or, failing that, the UserInfo endpoint's) claims. */
export interface ProviderIdentity {
  subject: string;
  email: string | null;
  /** Only an explicit `email_verified: true` counts. */
  emailVerified: boolean;
  name: string | null;
}

/** The provider answered with an error (the person declined, or the provider refused the client). */
export class ProviderDeclinedError extends Error {}
/** The provider could not be reached or its discovery document was unusable. */
export class ProviderUnavailableError extends Error {}
/** The answer did not pass the checks: state, nonce, PKCE, issuer, signature, audience, expiry. */
export class SignInCheckError extends Error {}

/**
 * The OpenID Connect relying party, per configured provider (OpenIdClient in production, over the
 * `openid-client` package). Authorization code flow with PKCE (S256), state and nonce.
 */
export abstract class OidcClient {
  /** Where to send the browser to sign in at the provider. */
  abstract authorizationUrl(provider: OidcProviderConfig, redirectUri: string, checks: SignInChecks): Promise<URL>;
  /**
   * Checks the provider's answer (`callbackUrl`: the redirect URI with the query the browser brought back)
   * against `checks`, redeems the code and returns the verified identity. Throws one of the errors above.
   */
  abstract finish(provider: OidcProviderConfig, callbackUrl: URL, checks: SignInChecks): Promise<ProviderIdentity>;
}
