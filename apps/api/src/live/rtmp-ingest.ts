import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import Context from 'node-media-server/src/core/context.js';
import nmsLogger from 'node-media-server/src/core/logger.js';
import RtmpSession from 'node-media-server/src/session/rtmp_session.js';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LiveIngest, type IngestConnection, type PublishHandler } from './live-ingest.js';

/** The RTMP application every publish and play must use: rtmp://host:port/live/<name>. */
export const RTMP_APP = 'live';

/**
 * RTMP ingest with node-media-server 4.4.3's RTMP session (protocol, GOP cache, fan-out to readers), on
 * our own TCP server. We do not run NodeMediaServer itself: it would also start a JSON store under the
 * cwd, relay/record/notify servers, and `process.exit(1)` when the port is taken.
 *
 * Its gotchas (reference/live.md §1.3) shape this class:
 * - events are synchronous, so the key is checked here, synchronously, from LiveService's in-memory key
 *   map (`PublishHandler.publishing`), before node-media-server registers anything;
 * - a refused publisher is never registered at all: its socket is destroyed and the stream never gets a
 *   path, so no reader, no file and no job can follow (postPublish's "fires for rejected sessions" and the
 *   30 s publisher slot of a closed session do not apply);
 * - an accepted publisher is registered under a random internal name, not its key: the transcoder reads
 *   that name, so the key is never in a job, a URL or a log line;
 * - `donePublish` comes 30 s late (publish-resume grace), so the end is taken from the publisher
 *   socket's `close` (with whether the client said deleteStream first: a clean stop, not a drop); when
 *   LiveService ends the live, `endStream` closes the stream's readers, which gives the transcoder's
 *   ffmpeg an end of file at once (it otherwise keeps waiting through NMS's grace window). That same
 *   grace is what lets a dropped encoder come back under the live's name without the readers noticing.
 */
@Injectable()
export class RtmpIngest extends LiveIngest implements OnModuleInit, OnApplicationShutdown {
  private handler?: PublishHandler;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  get enabled(): boolean {
    return this.config.rtmp.port > 0;
  }

  attach(handler: PublishHandler): void {
    this.handler = handler;
  }

  ingestUrl(ingestName: string): string {
    return `rtmp://${this.config.rtmp.pullHost}:${this.port || this.config.rtmp.port}/${RTMP_APP}/${ingestName}`;
  }

  publishUrl(streamKey: string): string {
    const host = ['0.0.0.0', '::', '[::]'].includes(this.config.rtmp.host) ? '127.0.0.1' : this.config.rtmp.host;
    return `rtmp://${host.includes(':') ? `[${host}]` : host}:${this.port || this.config.rtmp.port}/${RTMP_APP}/${streamKey}`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) {
      this.logger.info('RTMP ingest is off (RTMP_PORT=0)');
      return;
    }
    // node-media-server prints to stdout with its own format; route it into ours at debug level. Its lines
    // name stream paths, which are our internal names (keys never reach it, see above).
    nmsLogger.level = 'trace';
    nmsLogger.log = (message: string, level = 'info') => this.logger.debug({ nms: level }, message);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.rtmp.port, this.config.rtmp.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.logger.error({ err: err.message }, 'RTMP server error'));
    this.port = (server.address() as AddressInfo).port;
    this.logger.info({ host: this.config.rtmp.host, port: this.port }, 'RTMP ingest listening');
  }

  async onApplicationShutdown(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // Errors on a client socket (resets) are that client's problem; node-media-server logs them.
    socket.on('error', () => undefined);
    const session = new RtmpSession(socket);
    // The RTMP `publish` and `play` commands both end in onConnect(app, name); remember which one it was.
    let command: 'publish' | 'play' | undefined;
    const { rtmp } = session;
    const publish = rtmp.onPublish.bind(rtmp);
    const play = rtmp.onPlay.bind(rtmp);
    rtmp.onPublish = (msg) => {
      command = 'publish';
      publish(msg);
    };
    rtmp.onPlay = (msg) => {
      command = 'play';
      play(msg);
    };
    // Clients send deleteStream before closing when they stop on purpose (OBS "Stop Streaming", ffmpeg's
    // end); a dropped connection just closes. NMS ignores the command; we only note it.
    let clean = false;
    const deleteStream = rtmp.onDeleteStream.bind(rtmp);
    rtmp.onDeleteStream = (msg) => {
      clean = true;
      deleteStream(msg);
    };
    const register = session.onConnect;
    session.onConnect = (req) => {
      if (req.app !== RTMP_APP || !this.handler) return this.refuse(socket);
      if (command === 'publish') {
        const connection: IngestConnection = { close: () => socket.destroy() };
        const ingestName = this.handler.publishing(req.name, connection);
        if (!ingestName) return this.refuse(socket);
        socket.once('close', () => this.handler?.unpublished(ingestName, connection, clean));
        // Registered under the internal name: a returning encoder gets the live's own name, and
        // node-media-server's publish-resume carries the readers (and timestamps) over to it.
        register({ ...req, name: ingestName });
      } else if (command === 'play' && this.handler.playable(req.name)) {
        register(req);
      } else {
        this.refuse(socket);
      }
    };
    session.run();
  }

  /** node-media-server has already answered "publish start" (it does so before any check): all we can do is hang up. */
  private refuse(socket: Socket): void {
    socket.destroy();
  }

  /** Ends every reader of the stream (the transcoder's ffmpeg), so it sees the end of the stream now. */
  endStream(ingestName: string): void {
    const broadcast = Context.broadcasts.get(`/${RTMP_APP}/${ingestName}`);
    for (const reader of broadcast?.subscribers.values() ?? []) reader.close();
  }
}
