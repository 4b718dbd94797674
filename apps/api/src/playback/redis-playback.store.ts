import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import { RedisConnections } from '../redis/redis-connections.js';
import { PlaybackStore, type UpdateResult } from './playback.store.js';

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

/**
 * Each room's PlaybackState in one Redis hash `<prefix>:playback:<roomId>` {state: JSON, seq}.
 * `update` is a read-apply-CAS loop: the pure state machine runs here, Redis decides who wins.
 */
@Injectable()
export class RedisPlaybackStore extends PlaybackStore {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('room-state', 'command');
  }

  private key(roomId: string) {
    return this.connections.key('playback', roomId);
  }

  async get(roomId: string): Promise<PlaybackState> {
    const raw = await this.redis.hget(this.key(roomId), 'state');
    if (!raw) return initialPlaybackState();
    try {
      return { ...initialPlaybackState(), ...(JSON.parse(raw) as PlaybackState) };
    } catch {
      return initialPlaybackState();
    }
  }

  async update<R>(roomId: string, fn: (cur: PlaybackState) => { next: PlaybackState | null; result: R }): Promise<UpdateResult<R>> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const cur = await this.get(roomId);
      const { next, result } = fn(cur);
      if (!next) return { changed: false, state: cur, result };
      const ok = await this.redis.eval(CAS, 1, this.key(roomId), String(cur.seq), JSON.stringify(next), String(next.seq), String(TTL_MS));
      if (ok === 1) return { changed: true, state: next, result };
    }
    throw new Error('playback update contention: gave up after 10 attempts');
  }
}
