import { HttpException, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { BROWSER_CHUNK_MAX_BYTES, BROWSER_PUBLISH_PATH, browserPublishQuerySchema, type BrowserPublishMessage } from '@reelroom/contracts';
import { tokenFromRequest } from '../../auth/auth.guard.js';
import { SessionAuthenticator } from '../../auth/session-authenticator.js';
import { LOGGER } from '../../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { CROSS_SITE_REFUSED, socketOriginRefused } from '../../http-security/origin-policy.js';
import { LiveIngest } from '../live-ingest.js';
import { LiveService } from '../live.service.js';
import { startFfmpegRelay, type RelayStarter } from './ffmpeg-relay.js';
import { BrowserPublishSession, CLOSE_DROPPED, PUBLISH_LIMITS, type SessionLimits } from './publish-session.js';
import { relayArgs } from './relay-command.js';

/** Injection tokens, so integration tests can shorten the limits; production uses the defaults. */
export const RELAY_STARTER = Symbol('RELAY_STARTER');
export const PUBLISH_SESSION_LIMITS = Symbol('PUBLISH_SESSION_LIMITS');

/**
 * Going live from the browser: a WebSocket at BROWSER_PUBLISH_PATH (`?room=<id>&mime=<recorder type>`)
 * beside socket.io on the same HTTP server. Why its own socket and not socket.io: recorder chunks are
 * 50-200 KiB binary frames, and the room socket keeps a 16 KiB frame cap and a per-event flood guard that
 * media must not loosen for everyone.
 *
 * The upgrade is answered at once after the synchronous checks (path, Origin, query): socket.io's engine
 * ends any other upgrade that has written nothing within a second, and the session lookup may take longer
 * under load. Who may publish is checked right after, before `ready`: a refusal arrives as an `ended`
 * message with a sentence the page shows (a browser cannot read an HTTP refusal of a WebSocket).
 */
@Injectable()
export class BrowserPublishServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private wss?: WebSocketServer;
  private readonly sessions = new Set<BrowserPublishSession>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: SessionAuthenticator,
    private readonly live: LiveService,
    private readonly ingest: LiveIngest,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(RELAY_STARTER) private readonly startRelay: RelayStarter = startFfmpegRelay,
    @Inject(PUBLISH_SESSION_LIMITS) private readonly limits: SessionLimits = PUBLISH_LIMITS,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as import('node:http').Server | undefined;
    if (!server) return;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: BROWSER_CHUNK_MAX_BYTES, perMessageDeflate: false });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== BROWSER_PUBLISH_PATH) return;
      this.upgrade(req, socket, head);
    });
  }

  onApplicationShutdown(): void {
    for (const s of this.sessions) s.drop('ended', 'The server is restarting; go live again in a moment.');
    this.wss?.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const wss = this.wss;
    if (!wss) return void socket.destroy();
    if (socketOriginRefused(req.headers, false, this.config.allowedOrigins)) return refuseUpgrade(socket, 403, CROSS_SITE_REFUSED);
    const query = browserPublishQuerySchema.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
    if (!query.success) return refuseUpgrade(socket, 400, query.error.issues.map((i) => i.message).join('; '));
    wss.handleUpgrade(req, socket, head, (ws) => {
      void this.open(ws, req, query.data.room, query.data.mime);
    });
  }

  private async open(ws: WebSocket, req: IncomingMessage, roomId: string, mime: string): Promise<void> {
    const send = (m: BrowserPublishMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
    // No message listener until `ready`: the page waits for it, so earlier bytes are not a recording anyway.
    const current: { session?: BrowserPublishSession; closed: boolean } = { closed: false };
    ws.on('close', () => {
      current.closed = true;
      if (current.session) {
        current.session.closed();
        this.sessions.delete(current.session);
      }
    });
    ws.on('error', (err) => this.logger.warn({ err: err.message }, 'browser publish socket error'));
    let key: string;
    let userId: string;
    try {
      const ctx = await this.auth.authenticate(tokenFromRequest({ cookie: req.headers.cookie, authorization: req.headers.authorization }));
      if (!ctx) throw new HttpException('Sign in to continue.', 401);
      userId = ctx.user.id;
      key = await this.live.issueBrowserKey(userId, roomId);
    } catch (err) {
      const message = err instanceof HttpException ? err.message : 'Something went wrong on our side; try again.';
      if (!(err instanceof HttpException)) this.logger.error({ err, roomId }, 'browser publish refused by an error');
      send({ type: 'ended', reason: 'refused', message });
      ws.close(CLOSE_DROPPED);
      return;
    }
    if (current.closed) return;
    const log = this.logger.child({ roomId, userId, mime });
    const relay = this.startRelay(this.config.ffmpegPath, relayArgs({ mime, rtmpUrl: this.ingest.publishUrl(key) }));
    const s = new BrowserPublishSession({ send, close: (code) => ws.close(code) }, relay, this.limits, log);
    current.session = s;
    this.sessions.add(s);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return s.text();
      s.chunk(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
    });
    log.info('browser publisher connected; relay started');
    s.start();
  }
}

/** An HTTP answer on a socket that asked to upgrade (only for refusals a browser page never causes by itself). */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason = status === 403 ? 'Forbidden' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}`);
}
