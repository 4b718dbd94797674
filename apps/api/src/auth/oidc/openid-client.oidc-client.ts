import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import * as oidc from 'openid-client';
import { issuerAllowed, type OidcProviderConfig } from '../../config/oidc-providers.js';
import { LOGGER } from '../../common/logger.js';
import {
  OidcClient,
  ProviderDeclinedError,
  ProviderUnavailableError,
  SignInCheckError,
  type ProviderIdentity,
  type SignInChecks,
} from './oidc-client.js';

const TIMEOUT_SEC = 10;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * OidcClient over `openid-client` (v6). Each provider's discovery document is fetched on first use and
 * kept; a failed discovery is forgotten, so the next sign-in tries again (a provider that was down at
 * start-up does not need a restart). Plain http is allowed only for loopback issuers (issuerAllowed).
 */
@Injectable()
export class OpenIdClient extends OidcClient {
  private readonly configs = new Map<string, Promise<oidc.Configuration>>();

  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  async authorizationUrl(provider: OidcProviderConfig, redirectUri: string, checks: SignInChecks): Promise<URL> {
    const config = await this.configOf(provider);
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: provider.scope,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  async finish(provider: OidcProviderConfig, callbackUrl: URL, checks: SignInChecks): Promise<ProviderIdentity> {
    const config = await this.configOf(provider);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      if (err instanceof oidc.AuthorizationResponseError) {
        throw new ProviderDeclinedError(`${err.error}: ${err.error_description ?? ''}`);
      }
      if (err instanceof oidc.ResponseBodyError || (err instanceof Error && 'code' in err && /^OAUTH_/.test(String(err.code)))) {
        throw new SignInCheckError(err.message);
      }
      throw new ProviderUnavailableError(err instanceof Error ? err.message : String(err));
    }
    const claims = tokens.claims();
    if (!claims) throw new SignInCheckError('the token response had no ID token');
    let source: Record<string, unknown> = claims;
    // Some providers put the email in UserInfo only: ask it, for the same subject (checked by the library).
    if (text(claims.email) === null && tokens.access_token) {
      try {
        source = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) };
      } catch (err) {
        this.logger.warn({ err, provider: provider.id }, 'OIDC UserInfo request failed');
      }
    }
    return {
      subject: claims.sub,
      email: text(source.email),
      emailVerified: source.email_verified === true,
      name: text(source.name) ?? text(source.preferred_username) ?? text(source.nickname),
    };
  }

  private configOf(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    let config = this.configs.get(provider.id);
    if (!config) {
      const issuer = new URL(provider.issuer);
      const insecure = issuer.protocol === 'http:' && issuerAllowed(issuer);
      config = oidc
        .discovery(issuer, provider.clientId, undefined, oidc.ClientSecretBasic(provider.clientSecret), {
          timeout: TIMEOUT_SEC,
          execute: insecure ? [oidc.allowInsecureRequests] : [],
        })
        .then((c) => {
          c.timeout = TIMEOUT_SEC;
          return c;
        })
        .catch((err: unknown) => {
          this.configs.delete(provider.id);
          this.logger.warn({ err, provider: provider.id, issuer: provider.issuer }, 'OIDC discovery failed');
          throw new ProviderUnavailableError(err instanceof Error ? err.message : String(err));
        });
      this.configs.set(provider.id, config);
    }
    return config;
  }
}
