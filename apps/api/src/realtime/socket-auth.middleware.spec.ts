import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@reelroom/contracts';
import type { AuthContext } from '../auth/auth.types.js';
import type { SessionAuthenticator } from '../auth/session-authenticator.js';
import { authAs } from '../testing/fake-socket.js';
import { silentLogger } from '../testing/silent-logger.js';
import { ClientAddress } from '../common/net/client-address.js';
import type { SocketData } from './socket.types.js';
import { SocketAuthMiddleware, type Handshake } from './socket-auth.middleware.js';

/** Knows one token; `down` makes it fail like a database that does not answer. */
class FakeSessions implements SessionAuthenticator {
  down = false;
  readonly asked: Array<string | undefined> = [];
  async authenticate(token: string | undefined): Promise<AuthContext | null> {
    this.asked.push(token);
    if (this.down) throw new Error('ECONNREFUSED');
    return token === 'good' ? authAs('ana') : null;
  }
}

async function handshake(sessions: FakeSessions, h: Partial<Handshake>) {
  const socket: { handshake: Handshake; data: Partial<SocketData> } = { handshake: { auth: {}, headers: {}, ...h }, data: {} };
  const err = await new Promise<Error | undefined>(
    (resolve) => void new SocketAuthMiddleware(sessions, new ClientAddress([]), silentLogger).use(socket, resolve),
  );
  return { err, data: socket.data };
}

describe(SocketAuthMiddleware.name, () => {
  it('lets a valid token in (auth.token, then the session cookie, then Bearer) and puts who it is on the socket', async () => {
    const sessions = new FakeSessions();
    expect(await handshake(sessions, { auth: { token: 'good' } })).toEqual({
      err: undefined,
      data: { auth: authAs('ana'), address: 'unknown' },
    });
    expect((await handshake(sessions, { headers: { cookie: `x=1; ${SESSION_COOKIE}=good` } })).err).toBeUndefined();
    expect((await handshake(sessions, { headers: { authorization: 'Bearer good' } })).err).toBeUndefined();
    expect(sessions.asked).toEqual(['good', 'good', 'good']);
  });

  it('refuses a missing or unknown session, and says so when it cannot check', async () => {
    const sessions = new FakeSessions();
    expect((await handshake(sessions, {})).err?.message).toBe('Sign in to continue.');
    const refused = await handshake(sessions, { auth: { token: 'revoked' } });
    expect(refused.err?.message).toBe('Sign in to continue.');
    expect(refused.data.auth).toBeUndefined();
    sessions.down = true;
    expect((await handshake(sessions, { auth: { token: 'good' } })).err?.message).toBe('Could not check your session; try again.');
  });
});
