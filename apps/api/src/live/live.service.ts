import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { Logger } from 'pino';
import {
  BROWSER_PUBLISH_SENTENCES,
  liveLatencyHintSec,
  mediaPlaybackPath,
  streamKeySchema,
  type LiveKeyView,
  type LiveMode,
  type LiveStateView,
} from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RoomBroadcaster, type BroadcastScope } from '../common/ports/room-broadcaster.js';
import { LiveQueue } from '../queue/live.queue.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { LiveIngest, type IngestConnection, type PublishHandler } from './live-ingest.js';
import { KeyBell, NO_KEY_BELL } from './live-key-bell.js';
import { LiveRepository, type LiveRecord } from './live.repository.js';
import { LiveStates } from './live-states.js';
import { PlaybackService } from '../playback/playback.service.js';

export const ONLY_HOST = BROWSER_PUBLISH_SENTENCES.notHost;
export const NO_KEY_YET = 'This room has no stream key yet. Go live first.';
export const ALREADY_LIVE = BROWSER_PUBLISH_SENTENCES.busy;
export const INGEST_OFF = 'Live streaming is turned off on this server (RTMP_PORT=0).';

/** How often the in-memory key map is reloaded, for keys changed through another API process. */
export const KEY_REFRESH_MS = 5_000;
/**
 * A running live whose API process has not said "still here" (heartbeat, every KEY_REFRESH_MS) for this
 * long is taken as left over from a crash: its key may start a new live. Without it, an API killed
 * between accepting a publisher and the end would leave the room "live" forever.
 */
export const STALE_LIVE_MS = 30_000;
/** A browser live's one-time key must reach the RTMP server within this long (the relay's ffmpeg starts at once). */
export const BROWSER_KEY_TTL_MS = 30_000;

/** sha256 hex of a stream key: what the database keeps. A random 256-bit key needs no slow hash. */
export const hashStreamKey = (key: string) => createHash('sha256').update(key).digest('hex');
/** 32 random bytes, base64url: 43 characters that node-media-server accepts as a stream name. */
export const newStreamKey = () => randomBytes(32).toString('base64url');

/** A live this process accepted a publisher for: the live it claimed (or is claiming) for its room. */
interface ActiveLive {
  roomId: string;
  keyHash: string;
  liveId: string;
  /** Published by the browser relay with a one-time key (not the room's RTMP key). */
  browser: boolean;
  /** The internal stream name the publisher is registered under and the transcoder reads. */
  ingestName: string;
  /** The current publisher's connection. */
  connection: IngestConnection;
  /** The database row says starting/live with this liveId (set once the claim succeeded). */
  claimed: boolean;
  /** The publisher's connection closed. */
  gone: boolean;
  /** Dropped (not a clean stop): waiting up to the reconnect grace for the encoder to come back. */
  graceTimer?: NodeJS.Timeout;
  /** When the encoder dropped (ms): a resume moves the room's live position back by the drop's length. */
  droppedAt?: number;
  /**
   * A drop took the row from `live` to `starting` (the room shows "Reconnecting…"), and it is not `live`
   * again yet: once the encoder is back, recordResume writes it (the heartbeat tries again while that
   * fails) and moves the room's live position back by `dropMs`, the time away so far.
   */
  owed?: { dropMs: number; writing: boolean };
  finished: boolean;
}

/** Live settings of the service (APP_CONFIG's in production). */
export interface LiveOptions {
  /** How long a dropped encoder may take to come back before the live ends (0: end at once). */
  reconnectGraceMs: number;
}
export const LIVE_OPTIONS = Symbol('LIVE_OPTIONS');

/** Where the host's OBS should publish, as shown in the "Go live" panel. */
export interface PublicRtmp {
  /** RTMP_PUBLIC_URL when set. */
  configured: string | undefined;
  port: number;
}

/**
 * The live rules: stream keys (created, rotated, disabled; only their sha256 is stored), who may publish
 * (a known key of an open room with no live running: checked synchronously from an in-memory map, then
 * reserved in one SQL statement), the live's state machine (idle -> starting -> live -> ended) and what the
 * room hears about it (`live:state`). Imports no I/O library: the ingest, the queue, the database and the
 * sockets are ports.
 */
@Injectable()
export class LiveService extends LiveStates implements PublishHandler, OnModuleInit, OnModuleDestroy {
  /** keyHash -> roomId, for the synchronous check while a publisher waits. */
  private keys = new Map<string, string>();
  /** Bumped by every local key change, so a slower refresh never overwrites a newer local change. */
  private keysVersion = 0;
  private readonly byRoom = new Map<string, ActiveLive>();
  private readonly byIngest = new Map<string, ActiveLive>();
  /**
   * One-time keys of the relays on this process (they publish to this process's ingest): keyHash -> the
   * room, and for an encoder's WHIP relay the hash of the room key it stands for (a browser live has none).
   */
  private readonly oneTimeKeys = new Map<string, { roomId: string; expiresAt: number; forKeyHash?: string }>();
  private refreshTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly lives: LiveRepository,
    private readonly ingest: LiveIngest,
    private readonly queue: LiveQueue,
    private readonly access: RoomAccessPolicy,
    private readonly broadcaster: RoomBroadcaster,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(LIVE_OPTIONS) private readonly options: LiveOptions,
    @Optional() private readonly bell: KeyBell = NO_KEY_BELL,
    /** The room's playback follows a resumed live (absent in unit specs that do not look at it). */
    @Optional() private readonly playback?: PlaybackService,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    this.ingest.attach(this);
    await this.bell.listen(() => {
      this.refreshKeys().catch((err: unknown) => this.logger.warn({ err }, 'stream key refresh failed'));
    });
    await this.refreshKeys();
    this.refreshTimer = setInterval(() => {
      this.refreshKeys().catch((err: unknown) => this.logger.warn({ err }, 'stream key refresh failed'));
      this.heartbeat().catch((err: unknown) => this.logger.warn({ err }, 'live heartbeat failed'));
    }, KEY_REFRESH_MS);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    // Shutting down: the RTMP server hangs up on every encoder next; those are not drops to wait for (the
    // transcoder sees the end of its stream and ends the live itself).
    this.stopping = true;
    clearInterval(this.refreshTimer);
    for (const active of this.byRoom.values()) clearTimeout(active.graceTimer);
  }

  /**
   * Reloads the key map. A live whose room no longer has an enabled key (the host closed the room, or
   * ended the live through another API process) is hung up on and ended here, within KEY_REFRESH_MS.
   */
  async refreshKeys(): Promise<void> {
    const version = this.keysVersion;
    const rows = await this.lives.enabledKeys();
    // A key changed here while the query ran: this answer may predate it; the next refresh will not.
    if (version !== this.keysVersion) return;
    this.keys = new Map(rows.map((r) => [r.streamKeyHash, r.roomId]));
    const rooms = new Set(rows.map((r) => r.roomId));
    // A browser live has no key to disable; it ends when its room closes (or its page stops).
    const browserRooms = [...this.byRoom.values()].filter((a) => a.browser).map((a) => a.roomId);
    const open = await this.lives.openRooms(browserRooms);
    for (const active of [...this.byRoom.values()]) {
      if (!active.claimed || (active.browser ? open.has(active.roomId) : rooms.has(active.roomId))) continue;
      this.logger.info({ roomId: active.roomId, liveId: active.liveId }, 'room closed or key disabled during the live; it ends');
      active.connection.close();
      await this.finish(active);
    }
  }

  /** Tells the database that this process still holds its lives' publishers (see STALE_LIVE_MS). */
  async heartbeat(): Promise<void> {
    const running = [...this.byRoom.values()].filter((a) => a.claimed && !a.finished);
    await this.lives.heartbeat(running.map((a) => a.liveId));
    for (const active of running) if (active.owed) await this.recordResume(active);
  }

  // ---- REST -------------------------------------------------------------------------------------------

  /** `POST /api/rooms/:id/live` (host): a new stream key (any previous one stops working). */
  async createKey(userId: string, roomId: string, mode: LiveMode = 'standard', rtmp: PublicRtmp & { host: string }): Promise<LiveKeyView> {
    await this.requireHost(userId, roomId);
    if (!this.ingest.enabled) throw new BadRequestException(INGEST_OFF);
    const key = newStreamKey();
    const row = await this.lives.setKey(roomId, hashStreamKey(key), mode);
    this.rememberKey(roomId, row.streamKeyHash);
    this.logger.info({ roomId, userId }, 'stream key created');
    return { rtmpUrl: publicRtmpUrl(rtmp), streamKey: key, mode: row.mode };
  }

  /** `POST /api/rooms/:id/live/rotate-key` (host): the old key stops working; a running live goes on. */
  async rotateKey(userId: string, roomId: string, rtmp: PublicRtmp & { host: string }): Promise<LiveKeyView> {
    await this.requireHost(userId, roomId);
    const key = newStreamKey();
    const row = await this.lives.rotateKey(roomId, hashStreamKey(key));
    if (!row) throw new NotFoundException(NO_KEY_YET);
    this.rememberKey(roomId, row.streamKeyHash);
    this.logger.info({ roomId, userId }, 'stream key rotated');
    return { rtmpUrl: publicRtmpUrl(rtmp), streamKey: key, mode: row.mode };
  }

  /** `DELETE /api/rooms/:id/live` (host): disables the key and ends a running live. */
  async endLive(userId: string, roomId: string): Promise<void> {
    await this.requireHost(userId, roomId, 'see');
    if (!(await this.lives.disableKey(roomId))) throw new NotFoundException(NO_KEY_YET);
    this.rememberKey(roomId, null);
    this.logger.info({ roomId, userId }, 'live ended by the host; stream key disabled');
    const active = this.byRoom.get(roomId);
    if (active) {
      active.connection.close();
      await this.finish(active);
      return;
    }
    // The publisher may be on another API process: the row is the record, end it there.
    const row = await this.lives.find(roomId);
    if (row?.streamId && (await this.lives.end(row.streamId))) await this.announce(roomId);
  }

  /**
   * Going live from the browser (the host's page): a one-time key that the browser relay's ffmpeg publishes
   * with to this process's RTMP ingest, valid for BROWSER_KEY_TTL_MS and for one publish. The room's RTMP key
   * (OBS) is left as it is; the live that follows is an ordinary live (claim, transcode, replay).
   */
  async issueBrowserKey(userId: string, roomId: string): Promise<string> {
    await this.requireHost(userId, roomId);
    if (!this.ingest.enabled) throw new BadRequestException(INGEST_OFF);
    // Only for a clear sentence when this process holds the room's live: the claim is still what decides
    // (a live on another process, or two publishers racing, cannot both win; a crashed one goes stale).
    if (this.byRoom.has(roomId)) throw new ConflictException(ALREADY_LIVE);
    await this.lives.ensureRow(roomId);
    return this.oneTimeKey(roomId);
  }

  /**
   * An encoder's WHIP relay, for the room encoderRoom named: a one-time key that stands for the room's
   * stream key (its claim, its reconnect grace), so the room's lasting key never sits in a process's
   * command line. A key rotated meanwhile fails the claim, as over RTMP.
   */
  issueEncoderRelayKey(roomId: string, streamKey: string): string {
    return this.oneTimeKey(roomId, hashStreamKey(streamKey));
  }

  /**
   * The encoder said stop (its WHIP DELETE): the key's live ends now, cleanly, also when its connection
   * closed first (OBS closes its peer connection, then sends DELETE; the close began the reconnect grace).
   * False when this process holds no live of that key.
   */
  async encoderStopped(streamKey: string): Promise<boolean> {
    const keyHash = hashStreamKey(streamKey);
    const { active } = this.liveOfKey(keyHash);
    if (!active || active.browser || active.keyHash !== keyHash || active.finished) return false;
    this.logger.info({ roomId: active.roomId, liveId: active.liveId }, 'encoder stopped over WHIP; live ends');
    active.connection.close();
    await this.finish(active);
    return true;
  }

  /** The room a room key names (null: none), and this process's live in that room, if any. */
  private liveOfKey(keyHash: string): { roomId: string | null; active: ActiveLive | undefined } {
    const roomId = this.keys.get(keyHash) ?? null;
    return { roomId, active: roomId ? this.byRoom.get(roomId) : undefined };
  }

  private oneTimeKey(roomId: string, forKeyHash?: string): string {
    const now = Date.now();
    for (const [hash, k] of this.oneTimeKeys) if (k.expiresAt <= now) this.oneTimeKeys.delete(hash);
    const key = newStreamKey();
    this.oneTimeKeys.set(hashStreamKey(key), { roomId, expiresAt: now + BROWSER_KEY_TTL_MS, ...(forKeyHash && { forKeyHash }) });
    return key;
  }

  /**
   * An encoder going live over WHIP (OBS 30+: Service "WHIP", the bearer token is the room's stream key):
   * the room whose key it is, or null for a key that is malformed, unknown or disabled (the same map the
   * RTMP ingest checks). The relay then publishes with a key standing for it (issueEncoderRelayKey), so the
   * live that follows is the room's ordinary OBS live (claim, reconnect grace, replay); a room already live
   * is refused here already.
   */
  encoderRoom(streamKey: string): string | null {
    if (!this.ingest.enabled || !streamKeySchema.safeParse(streamKey).success) return null;
    const keyHash = hashStreamKey(streamKey);
    const { roomId, active } = this.liveOfKey(keyHash);
    // The same encoder back within the reconnect grace resumes its live, as over RTMP (publishing).
    if (active && !(active.graceTimer && active.keyHash === keyHash)) throw new ConflictException(ALREADY_LIVE);
    return roomId;
  }

  /** `GET /api/rooms/:id/live` (members). */
  async state(userId: string, roomId: string): Promise<LiveStateView> {
    await this.access.require(userId, roomId, 'see');
    return this.view(roomId);
  }

  /** The live state as everyone sees it (also the join snapshot's `live`). */
  async view(roomId: string): Promise<LiveStateView> {
    return toLiveView(await this.lives.find(roomId));
  }

  /** Re-reads the row and tells the room (after a transcoder changed it: the doorbell of the live queue). */
  async announce(roomId: string, scope: BroadcastScope = 'cluster'): Promise<void> {
    this.broadcaster.toRoom(roomId, 'live:state', await this.view(roomId), scope);
  }

  /**
   * The transcoder changed the live's row (the live queue's doorbell): the room hears it; and when the
   * transcoder ended the live on a bound (max duration, disk), the publisher this process holds is hung
   * up on, so OBS stops and the room's key may start a new live.
   */
  async transcoderChanged(roomId: string, liveId: string): Promise<void> {
    const active = this.byRoom.get(roomId);
    if (active?.liveId === liveId && !active.finished) {
      const row = await this.lives.findByStream(liveId);
      if (row?.status === 'ended') {
        this.logger.info({ roomId, liveId, reason: row.endReason }, 'the transcoder ended the live; publisher disconnected');
        active.connection.close();
        await this.finish(active);
      }
    }
    await this.announce(roomId, 'local');
  }

  /** The live transcode failed: a live without a transcoder shows nothing, so it ends. */
  async transcodeFailed(liveId: string): Promise<void> {
    const active = [...this.byRoom.values()].find((a) => a.liveId === liveId);
    if (active) {
      active.connection.close();
      await this.finish(active);
      return;
    }
    const row = await this.lives.findByStream(liveId);
    if (row && (await this.lives.end(liveId))) await this.announce(row.roomId, 'local');
  }

  // ---- RTMP (PublishHandler) --------------------------------------------------------------------------

  publishing(streamKey: string, connection: IngestConnection): string | null {
    if (!streamKeySchema.safeParse(streamKey).success) return this.refused('malformed key');
    const presented = hashStreamKey(streamKey);
    const oneTime = this.takeOneTimeKey(presented);
    // An encoder's WHIP relay publishes as the room key it stands for; a browser relay as itself, once.
    const keyHash = oneTime?.forKeyHash ?? presented;
    const roomId = oneTime?.roomId ?? this.keys.get(keyHash);
    if (!roomId) return this.refused('unknown key');
    const current = this.byRoom.get(roomId);
    if (current?.graceTimer && current.keyHash === keyHash) return this.resume(current, connection);
    if (current) return this.refused('the room already has a publisher', roomId);
    const active: ActiveLive = {
      roomId,
      keyHash,
      browser: oneTime !== undefined && oneTime.forKeyHash === undefined,
      liveId: randomUUID(),
      ingestName: randomBytes(16).toString('hex'),
      connection,
      claimed: false,
      gone: false,
      finished: false,
    };
    this.byRoom.set(roomId, active);
    this.byIngest.set(active.ingestName, active);
    void this.start(active);
    return active.ingestName;
  }

  unpublished(ingestName: string, connection: IngestConnection, clean: boolean): void {
    const active = this.byIngest.get(ingestName);
    // A connection that was replaced by a returning encoder, or a live already over.
    if (this.stopping || !active || active.connection !== connection || active.finished) return;
    active.gone = true;
    // Not claimed yet: start() sees `gone` when the claim answers and finishes then.
    if (!active.claimed) return;
    // A browser relay never comes back under the same one-time key: its end is the end.
    if (clean || active.browser || this.options.reconnectGraceMs <= 0) void this.finish(active);
    else void this.dropped(active);
  }

  playable(ingestName: string): boolean {
    const active = this.byIngest.get(ingestName);
    return active !== undefined && active.claimed && !active.finished;
  }

  /** The encoder dropped without stopping: the room sees "starting" (reconnecting) until it returns or the grace ends. */
  private async dropped(active: ActiveLive): Promise<void> {
    const droppedAt = Date.now();
    active.droppedAt = droppedAt;
    active.graceTimer = setTimeout(() => {
      this.logger.info({ roomId: active.roomId, liveId: active.liveId }, 'encoder did not come back; live ends');
      void this.finish(active);
    }, this.options.reconnectGraceMs);
    this.logger.info(
      { roomId: active.roomId, liveId: active.liveId, graceMs: this.options.reconnectGraceMs },
      'encoder dropped; waiting for it',
    );
    try {
      // Not `live` (never on air, or still owed from an earlier drop whose resume was not written): nothing
      // to take back, and an owed live stays owed.
      if (!(await this.lives.reconnecting(active.liveId))) return;
      // Back already (while this wrote): its resume saw nothing owed, so this counts the drop and records it.
      const back = active.graceTimer === undefined && !active.finished;
      active.owed ??= { dropMs: back ? Date.now() - droppedAt : 0, writing: false };
      if (back) await this.recordResume(active);
      else if (!active.finished) await this.announce(active.roomId);
    } catch (err) {
      this.logger.warn({ err, liveId: active.liveId }, 'could not record a dropped encoder');
    }
  }

  /** The same key came back within the grace: the live goes on under its own name (same readers, same files). */
  private resume(active: ActiveLive, connection: IngestConnection): string {
    clearTimeout(active.graceTimer);
    active.graceTimer = undefined;
    active.connection = connection;
    active.gone = false;
    this.logger.info({ roomId: active.roomId, liveId: active.liveId }, 'encoder came back; live resumes');
    if (active.owed) {
      active.owed.dropMs += Date.now() - (active.droppedAt ?? Date.now());
      void this.recordResume(active);
    }
    return active.ingestName;
  }

  /**
   * The row back to `live` after a resume, then the room told. A failed write is tried again at the next
   * heartbeat (while the encoder stays connected): left as it was, the room would show "Reconnecting…" for
   * the rest of a live that goes on.
   */
  private async recordResume(active: ActiveLive): Promise<void> {
    const owed = active.owed;
    // One write at a time: the heartbeat's retry must not race the first try.
    if (!owed || owed.writing || active.graceTimer || active.finished) return;
    let changed: boolean;
    owed.writing = true;
    try {
      changed = await this.lives.resumed(active.liveId);
    } catch (err) {
      this.logger.warn({ err, liveId: active.liveId }, 'could not record a resumed encoder; the heartbeat tries again');
      return;
    } finally {
      owed.writing = false;
    }
    // Dropped again while this wrote: still owed, and that drop's resume records it.
    if (active.graceTimer) return;
    active.owed = undefined;
    if (!changed) return;
    try {
      await this.announce(active.roomId);
      await this.playback?.liveResumed(active.roomId, active.liveId, owed.dropMs);
    } catch (err) {
      this.logger.warn({ err, liveId: active.liveId }, 'could not tell the room of a resumed encoder');
    }
  }

  /** The asynchronous half of accepting a publisher: reserve the live in the database, then start the transcode. */
  private async start(active: ActiveLive): Promise<void> {
    const log = this.logger.child({ roomId: active.roomId, liveId: active.liveId });
    try {
      const keyHash = active.browser ? null : active.keyHash;
      if (!(await this.lives.claim(active.roomId, keyHash, active.liveId, new Date(Date.now() - STALE_LIVE_MS)))) {
        log.info('publisher refused: the room is closed, already live, or the key changed');
        active.connection.close();
        this.forget(active);
        return;
      }
      active.claimed = true;
      if (active.gone) return await this.finish(active);
      // The mode is the row's (chosen with the key); a browser live's row may have none set: standard.
      const mode = (await this.lives.findByStream(active.liveId))?.mode ?? 'standard';
      log.info({ mode }, 'publisher accepted; live starting');
      await this.queue.enqueue({
        liveId: active.liveId,
        roomId: active.roomId,
        ingestUrl: this.ingest.ingestUrl(active.ingestName),
        mode,
      });
      await this.announce(active.roomId);
    } catch (err) {
      log.error({ err }, 'live start failed; publisher disconnected');
      active.connection.close();
      if (active.claimed) await this.finish(active);
      else this.forget(active);
    }
  }

  /** The publisher is gone (or was hung up on): the live ends now; the transcoder then turns it into a replay. */
  private async finish(active: ActiveLive): Promise<void> {
    if (active.finished) return;
    active.finished = true;
    clearTimeout(active.graceTimer);
    this.forget(active);
    // The transcoder's ffmpeg gets its end of stream now (it then writes the replay).
    this.ingest.endStream(active.ingestName);
    try {
      if (await this.lives.end(active.liveId)) {
        this.logger.info({ roomId: active.roomId, liveId: active.liveId }, 'live ended');
        await this.announce(active.roomId);
      }
    } catch (err) {
      this.logger.error({ err, roomId: active.roomId, liveId: active.liveId }, 'could not record the end of a live');
    }
  }

  private forget(active: ActiveLive): void {
    if (this.byRoom.get(active.roomId) === active) this.byRoom.delete(active.roomId);
    this.byIngest.delete(active.ingestName);
  }

  /** A relay's one-time key is good once, before it expires. */
  private takeOneTimeKey(keyHash: string): { roomId: string; forKeyHash?: string } | undefined {
    const k = this.oneTimeKeys.get(keyHash);
    if (!k) return undefined;
    this.oneTimeKeys.delete(keyHash);
    return k.expiresAt > Date.now() ? k : undefined;
  }

  private refused(reason: string, roomId?: string): null {
    // Never the key itself: at most which room it would have been for.
    this.logger.info({ reason, roomId }, 'RTMP publish refused');
    return null;
  }

  private rememberKey(roomId: string, keyHash: string | null): void {
    this.keysVersion += 1;
    for (const [hash, room] of this.keys) if (room === roomId) this.keys.delete(hash);
    if (keyHash) this.keys.set(keyHash, roomId);
    this.bell.ring();
  }

  private async requireHost(userId: string, roomId: string, need: 'take-part' | 'see' = 'take-part'): Promise<void> {
    const { role } = await this.access.require(userId, roomId, need);
    if (role !== 'host') throw new ForbiddenException(ONLY_HOST);
  }
}

/** Pure: the row (or its absence) as the room sees it. */
export function toLiveView(row: LiveRecord | null): LiveStateView {
  if (!row)
    return {
      status: 'idle',
      liveId: null,
      mode: 'standard',
      playbackUrl: null,
      startedAt: null,
      latencyHintSec: liveLatencyHintSec('standard'),
      replayMediaId: null,
      endReason: null,
    };
  const running = row.status === 'starting' || row.status === 'live';
  return {
    status: row.status,
    liveId: row.status === 'idle' ? null : row.streamId,
    mode: row.mode,
    // The master playlist exists once the transcoder said `live` (every rung has a segment).
    playbackUrl: row.status === 'live' && row.streamId ? mediaPlaybackPath(row.streamId) : null,
    startedAt: running || row.status === 'ended' ? (row.startedAt?.toISOString() ?? null) : null,
    latencyHintSec: liveLatencyHintSec(row.mode),
    replayMediaId: row.status === 'ended' ? row.replayMediaId : null,
    endReason: row.status === 'ended' ? row.endReason : null,
  };
}

/** Pure: the OBS "Server" URL: RTMP_PUBLIC_URL, else rtmp://<the host the page was loaded from>:<RTMP_PORT>/live. */
export function publicRtmpUrl({ configured, port, host }: PublicRtmp & { host: string }): string {
  if (configured) return configured;
  const name = host.replace(/:\d+$/, '') || 'localhost';
  return `rtmp://${name}:${port}/live`;
}
