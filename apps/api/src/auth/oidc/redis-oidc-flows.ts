import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RedisConnections } from '../../redis/redis-connections.js';
import { OidcFlows, type PendingSignIn } from './oidc-flows.js';

const FLOW_ID = /^[A-Za-z0-9_-]{43}$/;

const flowSchema = z.object({
  provider: z.string(),
  redirectUri: z.string(),
  returnTo: z.string(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
});

/** OidcFlows in Redis: `<prefix>:oidc:flow:<id>` with an expiry, read and deleted with one GETDEL. */
@Injectable()
export class RedisOidcFlows extends OidcFlows {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('limits', 'command');
  }

  async save(flow: PendingSignIn, ttlMs: number): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.connections.key('oidc', 'flow', id), JSON.stringify(flow), 'PX', ttlMs);
    return id;
  }

  async take(id: string): Promise<PendingSignIn | null> {
    if (!FLOW_ID.test(id)) return null;
    const raw = await this.redis.getdel(this.connections.key('oidc', 'flow', id));
    if (!raw) return null;
    const parsed = flowSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }
}
