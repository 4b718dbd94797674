import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import type { OidcProviderConfig } from '../../config/oidc-providers.js';
import { MemoryAttemptLimiter } from '../../testing/memory-attempt-limiter.js';
import { MemoryKnownDevices } from '../../testing/memory-known-devices.js';
import { silentLogger } from '../../testing/silent-logger.js';
import { RetryLaterException } from '../../common/rate-limit/retry-later.exception.js';
import type { AuthService } from '../auth.service.js';
import { toUserView, type ClientInfo, type UserRecord } from '../auth.types.js';
import { SignInThrottle } from '../throttle/sign-in-throttle.js';
import { EmailTakenError, UsersRepository } from '../users.repository.js';
import { ExternalIdentities } from './external-identities.repository.js';
import { OidcClient, SignInCheckError, ProviderDeclinedError, type ProviderIdentity, type SignInChecks } from './oidc-client.js';
import { OidcFlows, type PendingSignIn } from './oidc-flows.js';
import { displayNameOf, OidcSignIn, SignInRefusedError } from './oidc-sign-in.service.js';

const here: ClientInfo = { address: '203.0.113.7', deviceId: 'dev-1', userAgent: 'Test' };

class FakeUsers extends UsersRepository {
  rows: UserRecord[] = [];
  add(email: string, displayName = 'Existing'): UserRecord {
    const row: UserRecord = { id: `u${this.rows.length + 1}`, email, passwordHash: 'hashed', displayName, isGuest: false };
    this.rows.push(row);
    return row;
  }
  async create(): Promise<UserRecord> {
    throw new Error('not used');
  }
  async createGuest(): Promise<UserRecord> {
    throw new Error('not used');
  }
  async findByEmail(email: string) {
    return this.rows.find((r) => r.email === email) ?? null;
  }
}

class FakeIdentities extends ExternalIdentities {
  links = new Map<string, string>();
  /** Set to make the next createUser lose a race to this email (someone registered it meanwhile). */
  raceEmail: string | null = null;
  constructor(private readonly users: FakeUsers) {
    super();
  }
  async findUser(provider: string, subject: string) {
    const id = this.links.get(`${provider}/${subject}`);
    return this.users.rows.find((r) => r.id === id) ?? null;
  }
  async link(provider: string, subject: string, _email: string, userId: string) {
    if (!this.links.has(`${provider}/${subject}`)) this.links.set(`${provider}/${subject}`, userId);
  }
  async createUser(provider: string, subject: string, d: { email: string; displayName: string }) {
    if (this.raceEmail === d.email) {
      this.raceEmail = null;
      this.users.add(d.email, 'Raced');
    }
    if (this.users.rows.some((r) => r.email === d.email)) throw new EmailTakenError();
    const row: UserRecord = {
      id: `u${this.users.rows.length + 1}`,
      email: d.email,
      passwordHash: null,
      displayName: d.displayName,
      isGuest: false,
    };
    this.users.rows.push(row);
    this.links.set(`${provider}/${subject}`, row.id);
    return row;
  }
}

class MemoryFlows extends OidcFlows {
  flows = new Map<string, PendingSignIn>();
  async save(flow: PendingSignIn) {
    const id = `flow${this.flows.size + 1}`;
    this.flows.set(id, flow);
    return id;
  }
  async take(id: string) {
    const f = this.flows.get(id) ?? null;
    this.flows.delete(id);
    return f;
  }
}

/** The provider's side, scripted: who signs in next, or what goes wrong. */
class FakeClient extends OidcClient {
  identity: ProviderIdentity = { subject: 'sub-1', email: 'a@x.test', emailVerified: true, name: 'A Person' };
  failure: Error | null = null;
  seen: { checks: SignInChecks; url?: URL }[] = [];
  async authorizationUrl(_p: OidcProviderConfig, redirectUri: string, checks: SignInChecks) {
    this.seen.push({ checks });
    return new URL(`https://id.example/auth?redirect_uri=${encodeURIComponent(redirectUri)}&state=${checks.state}`);
  }
  async finish(_p: OidcProviderConfig, url: URL, checks: SignInChecks) {
    this.seen.push({ checks, url });
    if (this.failure) throw this.failure;
    return this.identity;
  }
}

const provider: OidcProviderConfig = {
  id: 'idp',
  name: 'Idp',
  issuer: 'https://id.example',
  clientId: 'c',
  clientSecret: 's',
  scope: 'openid email',
};

describe(OidcSignIn.name, () => {
  let users: FakeUsers;
  let identities: FakeIdentities;
  let flows: MemoryFlows;
  let client: FakeClient;
  let sut: OidcSignIn;
  const config = loadConfig({
    OIDC_PROVIDERS: JSON.stringify([{ ...provider, scope: undefined }]),
    OIDC_STARTS_PER_ADDRESS_PER_HOUR: '20',
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: '100',
  });
  // The session itself is AuthService's (its own spec): here, who it is opened for.
  const auth = { signInAs: async (u: UserRecord) => ({ user: toUserView(u), accessToken: `token-of-${u.id}` }) } as unknown as AuthService;

  beforeEach(() => {
    users = new FakeUsers();
    identities = new FakeIdentities(users);
    flows = new MemoryFlows();
    client = new FakeClient();
    const attempts = new MemoryAttemptLimiter();
    sut = new OidcSignIn(
      client,
      flows,
      identities,
      users,
      auth,
      new SignInThrottle(attempts, new MemoryKnownDevices(), config),
      attempts,
      config,
      silentLogger,
    );
  });

  const signIn = async (query = 'code=c&state=s') => {
    const { flowId } = await sut.start(provider, 'https://rr.example/api/auth/oidc/idp/callback', '/r/room', here.address);
    return sut.finish(provider, flowId, new URLSearchParams(query), here);
  };

  it('starts with fresh random state, nonce and PKCE verifier, kept server-side with the redirect and return path', async () => {
    const a = await sut.start(provider, 'https://rr.example/cb', '/r/x', here.address);
    const b = await sut.start(provider, 'https://rr.example/cb', '/', here.address);
    expect(a.url.searchParams.get('state')).toBe(flows.flows.get(a.flowId)?.state);
    expect(flows.flows.get(a.flowId)).toMatchObject({ provider: 'idp', redirectUri: 'https://rr.example/cb', returnTo: '/r/x' });
    const [x, y] = [flows.flows.get(a.flowId)!, flows.flows.get(b.flowId)!];
    for (const k of ['state', 'nonce', 'codeVerifier'] as const) {
      expect(x[k]).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(x[k]).not.toBe(y[k]);
    }
  });

  it('limits sign-in starts per client address', async () => {
    for (let i = 0; i < 20; i++) await sut.start(provider, 'https://rr.example/cb', '/', here.address);
    await expect(sut.start(provider, 'https://rr.example/cb', '/', here.address)).rejects.toBeInstanceOf(RetryLaterException);
    await expect(sut.start(provider, 'https://rr.example/cb', '/', '198.51.100.1')).resolves.toBeDefined();
  });

  it('finishes against the saved checks, on the saved redirect URI with the answer', async () => {
    const r = await signIn('code=abc&state=xyz&iss=https%3A%2F%2Fid.example');
    const finish = client.seen[1];
    expect(finish.checks).toMatchObject(client.seen[0].checks);
    expect(finish.url?.href).toBe('https://rr.example/api/auth/oidc/idp/callback?code=abc&state=xyz&iss=https%3A%2F%2Fid.example');
    expect(r.returnTo).toBe('/r/room');
  });

  it('refuses without the flow, with another provider, or a second time (the flow is taken once)', async () => {
    const expired = 'This sign-in with Idp has expired or was started in another browser. Please start again.';
    await expect(sut.finish(provider, undefined, new URLSearchParams(), here)).rejects.toThrow(expired);
    const { flowId } = await sut.start(provider, 'https://rr.example/cb', '/', here.address);
    await expect(sut.finish({ ...provider, id: 'other', name: 'Idp' }, flowId, new URLSearchParams(), here)).rejects.toThrow(expired);
    await expect(sut.finish(provider, flowId, new URLSearchParams(), here)).rejects.toThrow(expired);
    expect(client.seen.filter((s) => s.url)).toHaveLength(0);
  });

  it('turns failed checks and a declined sign-in into sentences', async () => {
    client.failure = new SignInCheckError('unexpected ID Token "nonce" claim value');
    await expect(signIn()).rejects.toThrow('The answer from Idp did not match this sign-in, so it was refused. Please start again.');
    client.failure = new ProviderDeclinedError('access_denied');
    await expect(signIn()).rejects.toThrow('Idp did not sign you in (the sign-in was cancelled or refused there).');
  });

  it('creates an account for a verified email, named by the provider (control characters dropped), then finds it by subject', async () => {
    client.identity = { subject: 's1', email: ' New@X.Test ', emailVerified: true, name: 'New\u0007 \u202ePerson' };
    const first = await signIn();
    expect(first.auth.user).toMatchObject({ email: 'new@x.test', displayName: 'New Person', isGuest: false });
    expect(users.rows[0].passwordHash).toBeNull();
    // Same subject: same account, whatever the email says now (even unverified).
    client.identity = { subject: 's1', email: 'changed@x.test', emailVerified: false, name: null };
    expect((await signIn()).auth.user.id).toBe(first.auth.user.id);
  });

  it('names a nameless account after its email', async () => {
    client.identity = { subject: 's2', email: 'quiet@x.test', emailVerified: true, name: null };
    expect((await signIn()).auth.user.displayName).toBe('quiet');
    expect(displayNameOf('\u200b ', 'x@y.test')).toBe('x');
    expect(displayNameOf('a'.repeat(80), 'x@y.test')).toBe('a'.repeat(60));
  });

  it('links a verified email to the existing account', async () => {
    const existing = users.add('owner@x.test', 'Owner');
    client.identity = { subject: 's3', email: 'Owner@x.test', emailVerified: true, name: 'Someone' };
    expect((await signIn()).auth.user).toEqual(toUserView(existing));
    expect(identities.links.get('idp/s3')).toBe(existing.id);
  });

  it('never lets an unverified or missing email into an existing account, nor makes an account from one', async () => {
    users.add('owner@x.test');
    client.identity = { subject: 's4', email: 'owner@x.test', emailVerified: false, name: 'Mallory' };
    await expect(signIn()).rejects.toThrow(
      'Idp has not verified the email address owner@x.test, so it cannot sign in to the account with that address. Sign in with your password, or verify the address at Idp first.',
    );
    client.identity = { subject: 's5', email: 'fresh@x.test', emailVerified: false, name: 'Fresh' };
    await expect(signIn()).rejects.toBeInstanceOf(SignInRefusedError);
    client.identity = { subject: 's6', email: null, emailVerified: true, name: 'No Email' };
    await expect(signIn()).rejects.toThrow('Idp did not give a verified email address, so no account can be made from it.');
    client.identity = { subject: 's7', email: 'not an email', emailVerified: true, name: 'Bad' };
    await expect(signIn()).rejects.toBeInstanceOf(SignInRefusedError);
    expect(identities.links.size).toBe(0);
    expect(users.rows).toHaveLength(1);
  });

  it('links instead when someone registered the email while the account was being made', async () => {
    identities.raceEmail = 'race@x.test';
    client.identity = { subject: 's8', email: 'race@x.test', emailVerified: true, name: 'Racer' };
    const r = await signIn();
    expect(r.auth.user.displayName).toBe('Raced');
    expect(identities.links.get('idp/s8')).toBe(r.auth.user.id);
  });
});
