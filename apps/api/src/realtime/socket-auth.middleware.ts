import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { ClientAddress } from '../common/net/client-address.js';
import { SessionAuthenticator } from '../auth/session-authenticator.js';
import { tokenFromRequest } from '../auth/auth.guard.js';
import type { SocketData } from './socket.types.js';

/** The handshake as the middleware reads it (a plain object in unit specs). */
export interface Handshake {
  auth: Record<string, unknown>;
  headers: { cookie?: string; authorization?: string; 'x-forwarded-for'?: string };
  /** The peer address of the connection (socket.io's handshake.address). */
  address?: string;
}

/**
 * socket.io middleware: authenticates the handshake (`auth.token`, else the session cookie or a Bearer
 * header, like REST) before the socket connects, and puts who it is on `socket.data.auth`. It runs again
 * on connection state recovery, so a session revoked during a drop cannot slip back in.
 */
@Injectable()
export class SocketAuthMiddleware {
  constructor(
    private readonly auth: SessionAuthenticator,
    private readonly addresses: ClientAddress,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  readonly use = async (socket: { handshake: Handshake; data: Partial<SocketData> }, next: (err?: Error) => void): Promise<void> => {
    try {
      const { auth, headers } = socket.handshake;
      const token =
        typeof auth.token === 'string' ? auth.token : tokenFromRequest({ cookie: headers.cookie, authorization: headers.authorization });
      const ctx = await this.auth.authenticate(token);
      if (!ctx) return next(new Error('Sign in to continue.'));
      socket.data.auth = ctx;
      socket.data.address = this.addresses.of({ remoteAddress: socket.handshake.address, headers: headers });
      next();
    } catch (err) {
      this.logger.error({ err }, 'socket auth failed');
      next(new Error('Could not check your session; try again.'));
    }
  };
}
