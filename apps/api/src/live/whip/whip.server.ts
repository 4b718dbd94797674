import {
  BadRequestException,
  ConflictException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
  OnApplicationShutdown,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { FfmpegRelay } from '../browser/ffmpeg-relay.js';
import { LiveIngest } from '../live-ingest.js';
import { hashStreamKey, LiveService } from '../live.service.js';
import { offerProblem } from './whip-command.js';
import { WhipOfferError, WhipSession, type WhipRelayStarter, type WhipSessionOptions } from './whip-session.js';

/** Injection token for what starts a session (WhipSession.start; a fake in the unit spec). */
export const WHIP_SESSION_STARTER = Symbol('WHIP_SESSION_STARTER');
export type WhipSessionStarter = (opts: WhipSessionOptions) => Promise<{ session: WhipSessionHandle; answer: string }>;
/** What the server needs of a running session. */
export type WhipSessionHandle = Pick<WhipSession, 'id' | 'ended' | 'stop' | 'drop'>;
export const startWhipRelay: WhipRelayStarter = (ffmpegPath, args) => new FfmpegRelay(ffmpegPath, args);
export const startWhipSession: WhipSessionStarter = (opts) => WhipSession.start(opts);

const SHUTTING_DOWN = 'This server is restarting; go live again in a moment.';
const UNKNOWN_KEY = "Unknown stream key: copy it again from the room's Go live panel.";
export const NO_SUCH_SESSION = 'There is no such live here.';

/** ICE may report `disconnected` for a moment (a network change); this long and the live ends. */
const DISCONNECT_GRACE_MS = 5000;
/**
 * No video for this long and the live ends (at most BROWSER_LIVE_STALL_SEC): WebRTC sends frames even of a
 * still picture, so 5 s of nothing means the page is gone; the recorder socket's longer stall is for its
 * chunks.
 */
const WHIP_STALL_MS = 5000;

/** Who may DELETE a session: the host who started it from their page, or whoever holds the stream key. */
type Owner = `user:${string}` | `key:${string}`;

interface Held {
  session: WhipSessionHandle;
  roomId: string;
  owner: Owner;
}

/** What publishes a session's relay into the ingest: a room, its owner, and the RTMP key to publish with. */
interface Publisher {
  roomId: string;
  owner: Owner;
  /** The session's log context besides the room (never the key). */
  log: { ingest: 'whip' | 'whip-encoder'; userId?: string };
  /** The RTMP key, asked for once the offer passed the checks and a slot is reserved. */
  rtmpKey: () => Promise<string>;
}

/**
 * WHIP ingest (RFC 9725): one WhipSession per publisher, a host's page or an encoder (OBS), at most
 * WHIP_MAX_SESSIONS on this process. Who may publish is LiveService's (a page: issueBrowserKey, as for the
 * recorder socket; an encoder: its stream key, encoderRoom); either way the relay publishes with a one-time
 * key. A room's slot is reserved before any work and given back when the session ends, so concurrent
 * offers never start more relays than the limit.
 */
@Injectable()
export class WhipServer implements OnApplicationShutdown {
  private readonly sessions = new Map<string, Held>();
  /**
   * Rooms with a WHIP session starting or running here, one slot each (a second publisher for a room gets
   * 409 at once, so its size is the slots in use).
   */
  private readonly rooms = new Set<string>();
  /**
   * Offers being answered, from their first await to the session's registration (a key being issued, a
   * relay starting): shutdown waits for them; one that finishes after shutdown began drops its session and
   * waits for it to end before it settles.
   */
  private readonly starting = new Set<Promise<unknown>>();
  /** Shutdown began: no new session, and one that finishes starting now is dropped at once. */
  private closing = false;

  constructor(
    @Inject(LiveService)
    private readonly live: Pick<LiveService, 'issueBrowserKey' | 'encoderRoom' | 'issueEncoderRelayKey' | 'encoderStopped'>,
    @Inject(LiveIngest) private readonly ingest: Pick<LiveIngest, 'enabled' | 'publishUrl'>,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'whip' | 'ffmpegPath' | 'browserLiveStallMs'>,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(WHIP_SESSION_STARTER) private readonly startSession: WhipSessionStarter = startWhipSession,
  ) {}

  get enabled(): boolean {
    return this.config.whip.enabled && this.ingest.enabled;
  }

  /** The host's page: the answer to its offer, and the session's id (its Location); a one-time RTMP key. */
  start(userId: string, roomId: string, offer: string): Promise<{ id: string; answer: string }> {
    return this.open(offer, () => ({
      roomId,
      owner: `user:${userId}`,
      log: { ingest: 'whip', userId },
      rtmpKey: () => this.live.issueBrowserKey(userId, roomId),
    }));
  }

  /**
   * An encoder (OBS's WHIP output) with the room's stream key as its bearer token: the key names the room;
   * the relay publishes with a one-time key that stands for it (issueEncoderRelayKey), so the live is the
   * room's ordinary OBS live (claim, reconnect grace, replay). An unknown key is a 401.
   */
  startForEncoder(streamKey: string, offer: string): Promise<{ id: string; answer: string }> {
    return this.open(offer, () => {
      const roomId = this.live.encoderRoom(streamKey);
      if (!roomId) throw new UnauthorizedException(UNKNOWN_KEY);
      return {
        roomId,
        owner: `key:${hashStreamKey(streamKey)}`,
        log: { ingest: 'whip-encoder' },
        rtmpKey: () => Promise.resolve(this.live.issueEncoderRelayKey(roomId, streamKey)),
      };
    });
  }

  private async open(offer: string, publisherOf: () => Publisher): Promise<{ id: string; answer: string }> {
    if (!this.enabled) throw new NotFoundException('Going live over WebRTC is off on this server.');
    if (this.closing) throw new ServiceUnavailableException(SHUTTING_DOWN);
    // Who and which room first (an encoder's key: 401), then what they sent.
    const publisher = publisherOf();
    const problem = offerProblem(offer);
    if (problem) throw new BadRequestException(problem);
    if (this.rooms.has(publisher.roomId)) throw new ConflictException('This room is already live.');
    if (this.rooms.size >= this.config.whip.maxSessions)
      throw new ServiceUnavailableException('This server is running as many lives over WebRTC as it can; try again later.');
    this.rooms.add(publisher.roomId);
    const opening = this.answer(offer, publisher);
    this.starting.add(opening);
    return opening.finally(() => this.starting.delete(opening));
  }

  /** open()'s asynchronous half, with the slot and the room reserved: given back if no session starts. */
  private async answer(offer: string, { roomId, owner, log: context, rtmpKey }: Publisher): Promise<{ id: string; answer: string }> {
    let started: WhipSessionHandle | undefined;
    try {
      const key = await rtmpKey();
      if (this.closing) throw new ServiceUnavailableException(SHUTTING_DOWN);
      const log = this.logger.child({ roomId, ...context });
      const { session, answer } = await this.startSession({
        offer,
        rtmpUrl: this.ingest.publishUrl(key),
        ffmpegPath: this.config.ffmpegPath,
        network: { portRange: this.config.whip.portRange, hostAddresses: this.config.whip.hostAddresses },
        stallMs: Math.min(WHIP_STALL_MS, this.config.browserLiveStallMs),
        disconnectGraceMs: DISCONNECT_GRACE_MS,
        startRelay: startWhipRelay,
        log,
      });
      started = session;
      this.sessions.set(session.id, { session, roomId, owner });
      void session.ended.finally(() => {
        this.sessions.delete(session.id);
        this.rooms.delete(roomId);
      });
      // Shutdown began while werift and the relay were starting: its sweep may have run already, and it
      // waits for this offer: the session is dropped, and ended, before the offer settles.
      if (this.closing) {
        session.drop();
        await session.ended;
        throw new ServiceUnavailableException(SHUTTING_DOWN);
      }
      log.info({ session: session.id }, 'WHIP publisher connected; relay started');
      return { id: session.id, answer };
    } catch (err) {
      if (!started) this.rooms.delete(roomId);
      if (err instanceof WhipOfferError) {
        this.logger.warn({ err: err.message, roomId }, 'WHIP offer could not be answered');
        throw new BadRequestException('The offer could not be answered.');
      }
      if (err instanceof HttpException) throw err;
      // Our side (no free port, the disk, werift): the page falls back to the recorder socket.
      this.logger.error({ err, roomId }, 'WHIP session could not start');
      throw new ServiceUnavailableException('Going live over WebRTC failed on this server; try again.');
    }
  }

  /** DELETE: the page stopped; only its own session, in its room, by the same person. */
  stop(userId: string, roomId: string, id: string): void {
    const held = this.sessions.get(id);
    if (!held || held.owner !== `user:${userId}` || held.roomId !== roomId) throw new NotFoundException(NO_SUCH_SESSION);
    held.session.stop();
  }

  /**
   * DELETE from the encoder, with the same key: its session stops cleanly, and once the relay is gone the
   * key's live ends without the reconnect grace (OBS closes its connection before it sends DELETE, which
   * looks like a drop). The session may be gone already (that close ended it): the live still ends; with
   * neither a session of that key nor a live of it here, 404.
   */
  async stopForEncoder(streamKey: string, id: string): Promise<void> {
    const held = this.sessions.get(id);
    if (held && held.owner === `key:${hashStreamKey(streamKey)}`) {
      held.session.stop();
      void held.session.ended
        .then(() => this.live.encoderStopped(streamKey))
        .catch((err: unknown) => this.logger.warn({ err, roomId: held.roomId }, 'could not end the live after its WHIP DELETE'));
      return;
    }
    if (!(await this.live.encoderStopped(streamKey))) throw new NotFoundException(NO_SUCH_SESSION);
  }

  /** Sessions running on this process (tests, metrics). */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * Drops every session, including those still starting (their relay would otherwise outlive the process:
   * an ffmpeg child is not killed with its parent), and waits for their relays to exit.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.starting]);
    const all = [...this.sessions.values()];
    for (const { session } of all) session.drop();
    await Promise.all(all.map((h) => h.session.ended));
  }
}
