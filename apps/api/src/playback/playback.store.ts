import { Injectable } from '@nestjs/common';
import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import { PlaybackRedis } from './redis-keys.js';

/** Rooms nobody touched for a week forget their playback. */
const TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Compare-and-set on seq: writes only if the stored seq is still the one the caller read. Atomic in
 * Redis, so two API processes applying commands to one room at once cannot both win.
 */
const CAS = `
local cur = redis.call('HGET', KEYS[1], 'seq')
if (cur or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'seq', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

export type UpdateResult<R> = { changed: true; state: PlaybackState; result: R } | { changed: false; state: PlaybackState; result: R };

/**
 * Each room's PlaybackState in one Redis hash `<prefix>:playback:<roomId>` {state: JSON, seq}.
 * `update` is a read-apply-CAS loop: the pure state machine runs here, Redis decides who wins.
 */
@Injectable()
export class PlaybackStore {
  constructor(private readonly redis: PlaybackRedis) {}

  private key(roomId: string) {
    return this.redis.key('playback', roomId);
  }

  async get(roomId: string): Promise<PlaybackState> {
    const raw = await this.redis.client.hget(this.key(roomId), 'state');
    if (!raw) return initialPlaybackState();
    try {
      return { ...initialPlaybackState(), ...(JSON.parse(raw) as PlaybackState) };
    } catch {
      return initialPlaybackState();
    }
  }

  /**
   * Applies `fn` atomically: `fn` returns the next state (or null to leave it) plus any result.
   * Retries when another process wrote in between; `fn` must be pure (it may run several times).
   */
  async update<R>(roomId: string, fn: (cur: PlaybackState) => { next: PlaybackState | null; result: R }): Promise<UpdateResult<R>> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const cur = await this.get(roomId);
      const { next, result } = fn(cur);
      if (!next) return { changed: false, state: cur, result };
      const ok = await this.redis.client.eval(CAS, 1, this.key(roomId), String(cur.seq), JSON.stringify(next), String(next.seq), String(TTL_MS));
      if (ok === 1) return { changed: true, state: next, result };
    }
    throw new Error('playback update contention: gave up after 10 attempts');
  }
}
