import type { Server } from 'node:http';
import Provider from 'oidc-provider';

/** What the test provider says about one of its accounts (the login typed at its sign-in page). */
export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by login; a login not here signs in as a verified `<login>@provider.test`. */
  accounts: Map<string, ProviderAccount>;
  stop(): Promise<void>;
}

/**
 * A real OpenID Provider (the `oidc-provider` package, with its development sign-in and consent pages) on
 * loopback: `issuer` is http://<host>:<port>, and the one client may redirect only to `redirectUris`.
 * Any password is accepted at its sign-in page; the login names the account.
 */
export async function startOidcProvider(opts: { port: number; host?: string; redirectUris: string[] }): Promise<TestOidcProvider> {
  const issuer = `http://${opts.host ?? '127.0.0.1'}:${opts.port}`;
  const clientId = 'reelroom-test';
  const clientSecret = 'reelroom-test-secret-0123456789abcdef';
  const accounts = new Map<string, ProviderAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, ...(accounts.get(id) ?? { email: `${id}@provider.test`, email_verified: true, name: id }) }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    cookies: { keys: ['reelroom-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
  });
  // Bound to every interface of the host (IPv4 and IPv6), so `localhost` works whichever it resolves to.
  const server: Server = provider.listen(opts.port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** OIDC_PROVIDERS for an API that signs in with this provider under the id `test`. */
export const providersEnv = (p: Pick<TestOidcProvider, 'issuer' | 'clientId' | 'clientSecret'>, name = 'Test ID') =>
  JSON.stringify([{ id: 'test', name, issuer: p.issuer, clientId: p.clientId, clientSecret: p.clientSecret }]);
