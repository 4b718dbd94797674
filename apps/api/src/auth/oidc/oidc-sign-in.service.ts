import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { hasControl, hasInvisible, nameText, type AuthResponse } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { OidcProviderConfig } from '../../config/oidc-providers.js';
import { LOGGER } from '../../common/logger.js';
import { addressKey } from '../../common/rate-limit/address-key.js';
import { AttemptLimiter } from '../../common/rate-limit/attempt-limiter.js';
import { tooManyAttempts } from '../../common/rate-limit/retry-later.exception.js';
import { AuthService } from '../auth.service.js';
import type { ClientInfo, UserRecord } from '../auth.types.js';
import { SignInThrottle } from '../throttle/sign-in-throttle.js';
import { EmailTakenError, UsersRepository } from '../users.repository.js';
import { ExternalIdentities } from './external-identities.repository.js';
import { OidcClient, ProviderDeclinedError, ProviderUnavailableError, SignInCheckError, type ProviderIdentity } from './oidc-client.js';
import { OidcFlows } from './oidc-flows.js';

/** How long a person may take at the provider before the sign-in must start again. */
export const FLOW_TTL_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;

/** A sign-in with a provider that did not succeed; the message is for the person (shown on /login). */
export class SignInRefusedError extends Error {}

const random = () => randomBytes(32).toString('base64url');
const emailSchema = z.email().max(254);
/**
 * A display name from the provider's claims, held to the register form's rules (nameText): control,
 * invisible and direction characters dropped (a provider account's name is whatever its owner typed),
 * NFC, trimmed, at most 60 characters; failing that the email's local part, failing that a plain name.
 */
export function displayNameOf(name: string | null, email: string): string {
  for (const candidate of [name, email.split('@')[0]]) {
    if (!candidate) continue;
    const cleaned = [...candidate.normalize('NFC')].filter((ch) => !hasControl(ch) && !hasInvisible(ch)).slice(0, 60);
    const parsed = nameText(60).safeParse(cleaned.join(''));
    if (parsed.success) return parsed.data;
  }
  return 'New member';
}

/**
 * Sign-in with an OpenID Connect provider (issue 13): starts the code flow (PKCE, state, nonce, kept in
 * OidcFlows), and on the way back finds the account (the link, else a verified email, else a new
 * account) and opens the same session a password sign-in opens (AuthService.signInAs).
 */
@Injectable()
export class OidcSignIn {
  constructor(
    private readonly client: OidcClient,
    private readonly flows: OidcFlows,
    private readonly identities: ExternalIdentities,
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
    private readonly throttle: SignInThrottle,
    private readonly attempts: AttemptLimiter,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'oidcProviders' | 'oidcStartsPerAddressPerHour'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  provider(id: string): OidcProviderConfig | undefined {
    return this.config.oidcProviders.find((p) => p.id === id);
  }

  /** The provider's sign-in page URL, and the id of the pending flow (for the browser's cookie). */
  async start(provider: OidcProviderConfig, redirectUri: string, returnTo: string, address: string): Promise<{ url: URL; flowId: string }> {
    const limit = this.config.oidcStartsPerAddressPerHour;
    const r = await this.attempts.reserve([
      { key: `oidc:start:${addressKey(address)}`, limit, windowMs: HOUR_MS, lockMs: HOUR_MS, maxLockMs: HOUR_MS },
    ]);
    if (!r.ok) throw tooManyAttempts(r.retryAfterMs);
    const checks = { state: random(), nonce: random(), codeVerifier: random() };
    let url: URL;
    try {
      url = await this.client.authorizationUrl(provider, redirectUri, checks);
    } catch (err) {
      this.logger.warn({ err, provider: provider.id }, 'OIDC sign-in could not start');
      throw new SignInRefusedError(`${provider.name} cannot be reached right now. Try again in a moment.`);
    }
    const flowId = await this.flows.save({ provider: provider.id, redirectUri, returnTo, ...checks }, FLOW_TTL_MS);
    return { url, flowId };
  }

  /**
   * The callback: the flow named by the browser's cookie must exist, be for this provider and carry the
   * state in the answer; the library then checks state, PKCE and the ID token (issuer, audience, expiry,
   * signature, nonce). Returns the new session and where to land.
   */
  async finish(
    provider: OidcProviderConfig,
    flowId: string | undefined,
    query: URLSearchParams,
    client: ClientInfo,
  ): Promise<{ auth: AuthResponse; returnTo: string }> {
    const flow = flowId ? await this.flows.take(flowId) : null;
    if (!flow || flow.provider !== provider.id) {
      throw new SignInRefusedError(`This sign-in with ${provider.name} has expired or was started in another browser. Please start again.`);
    }
    const callbackUrl = new URL(flow.redirectUri);
    callbackUrl.search = query.toString();
    let identity: ProviderIdentity;
    try {
      identity = await this.client.finish(provider, callbackUrl, flow);
    } catch (err) {
      this.logger.warn({ err, provider: provider.id }, 'OIDC sign-in refused');
      if (err instanceof ProviderDeclinedError)
        throw new SignInRefusedError(`${provider.name} did not sign you in (the sign-in was cancelled or refused there).`);
      if (err instanceof SignInCheckError) {
        throw new SignInRefusedError(`The answer from ${provider.name} did not match this sign-in, so it was refused. Please start again.`);
      }
      if (err instanceof ProviderUnavailableError)
        throw new SignInRefusedError(`${provider.name} cannot be reached right now. Try again in a moment.`);
      throw err;
    }
    const user = await this.accountFor(provider, identity, client);
    return { auth: await this.auth.signInAs(user, client), returnTo: flow.returnTo };
  }

  /**
   * The linking rule: a provider account linked before signs in to its account; otherwise only an email
   * the provider says is verified may link to the account with that email, or create one. An unverified
   * (or missing) email creates nothing and links nothing: whoever controls a provider account that merely
   * claims someone's address must not get into that person's account.
   */
  private async accountFor(
    provider: OidcProviderConfig,
    identity: ProviderIdentity,
    client: ClientInfo,
    retried = false,
  ): Promise<UserRecord> {
    const linked = await this.identities.findUser(provider.id, identity.subject);
    if (linked) return linked;
    const email = identity.email ? identity.email.trim().toLowerCase() : null;
    const valid = email !== null && emailSchema.safeParse(email).success;
    if (!valid || !identity.emailVerified) {
      const existing = valid ? await this.users.findByEmail(email) : null;
      if (existing) {
        throw new SignInRefusedError(
          `${provider.name} has not verified the email address ${email}, so it cannot sign in to the account with that address. Sign in with your password, or verify the address at ${provider.name} first.`,
        );
      }
      throw new SignInRefusedError(
        `${provider.name} did not give a verified email address, so no account can be made from it. Verify your email address at ${provider.name} and try again.`,
      );
    }
    const existing = await this.users.findByEmail(email);
    if (existing) {
      await this.identities.link(provider.id, identity.subject, email, existing.id);
      this.logger.info({ provider: provider.id, userId: existing.id }, 'OIDC identity linked to an existing account by verified email');
      return existing;
    }
    await this.throttle.beforeRegistration(client.address);
    try {
      return await this.identities.createUser(provider.id, identity.subject, { email, displayName: displayNameOf(identity.name, email) });
    } catch (err) {
      // Someone registered this email, or the same person's other callback won, meanwhile: look again once.
      if (err instanceof EmailTakenError && !retried) return this.accountFor(provider, identity, client, true);
      throw err;
    }
  }
}
