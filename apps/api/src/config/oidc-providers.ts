import { z } from 'zod';

/** One OpenID Connect provider people may sign in with (OIDC_PROVIDERS). */
export interface OidcProviderConfig {
  /** In URLs (/api/auth/oidc/<id>) and in the stored links between accounts and provider identities. */
  id: string;
  /** Shown on the sign-in page: "Continue with <name>". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Scopes asked for; `openid` and `email` always among them. */
  scope: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An issuer is https; plain http only on the loopback interface (a provider on the same machine, as in
 * development and tests), where nobody on the network can read or change the exchange.
 */
export const issuerAllowed = (issuer: URL): boolean =>
  issuer.protocol === 'https:' || (issuer.protocol === 'http:' && (LOOPBACK_HOSTS.has(issuer.hostname) || /^127\./.test(issuer.hostname)));

const providerSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or dashes'),
  name: z.string().trim().min(1).max(40),
  issuer: z.url().refine((u) => issuerAllowed(new URL(u)), 'must be an https URL (http only on localhost / 127.0.0.1)'),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(500),
  scope: z
    .string()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'must be scope names separated by single spaces')
    .optional(),
});

/**
 * OIDC_PROVIDERS: a JSON array of {id, name, issuer, clientId, clientSecret, scope?}; empty or unset: none.
 * Ids must be unique. The error names the entry and field that is wrong, never the secrets.
 */
export const oidcProvidersEnv = z
  .string()
  .default('')
  .transform((raw, ctx): OidcProviderConfig[] => {
    if (!raw.trim()) return [];
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON array of {id, name, issuer, clientId, clientSecret} (it is not valid JSON)',
      });
      return z.NEVER;
    }
    const parsed = z.array(providerSchema).max(20).safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.length ? `entry ${issue.path.map(String).join('.')}` : 'the list';
        ctx.addIssue({ code: 'custom', message: `${where}: ${issue.message}` });
      }
      return z.NEVER;
    }
    const seen = new Set<string>();
    for (const p of parsed.data) {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', message: `the id "${p.id}" is used twice` });
      seen.add(p.id);
    }
    return parsed.data.map((p) => {
      const scopes = new Set(['openid', 'email', ...(p.scope ?? 'profile').split(' ')]);
      return { id: p.id, name: p.name, issuer: p.issuer, clientId: p.clientId, clientSecret: p.clientSecret, scope: [...scopes].join(' ') };
    });
  });
