import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import { SkipVoteStore } from './skip-vote.store.js';

/** Votes and generations are forgotten after a day without change (a room nobody watches). */
const TTL_SEC = 24 * 3600;

/** CAS on the generation: only the caller that read `gen` moves it on. */
const CLAIM = `
local cur = redis.call('GET', KEYS[1])
if (cur or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], tostring(tonumber(ARGV[1]) + 1), 'EX', ARGV[2])
return 1
`;

/** `<prefix>:up-next:<roomId>:gen` (a counter) and `...:votes:<gen>:<mediaId>` (a set of user ids). */
@Injectable()
export class RedisSkipVoteStore extends SkipVoteStore {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('room-state', 'command');
  }

  private genKey(roomId: string) {
    return this.connections.key('up-next', roomId, 'gen');
  }

  private votesKey(roomId: string, gen: number, mediaId: string) {
    return this.connections.key('up-next', roomId, 'votes', String(gen), mediaId);
  }

  async generation(roomId: string): Promise<number> {
    return Number((await this.redis.get(this.genKey(roomId))) ?? 0);
  }

  async claim(roomId: string, gen: number): Promise<boolean> {
    return (await this.redis.eval(CLAIM, 1, this.genKey(roomId), String(gen), String(TTL_SEC))) === 1;
  }

  async vote(roomId: string, gen: number, mediaId: string, userId: string): Promise<string[]> {
    const key = this.votesKey(roomId, gen, mediaId);
    const [, , members] = (await this.redis.multi().sadd(key, userId).expire(key, TTL_SEC).smembers(key).exec()) ?? [];
    return (members?.[1] as string[] | undefined) ?? [];
  }

  voters(roomId: string, gen: number, mediaId: string): Promise<string[]> {
    return this.redis.smembers(this.votesKey(roomId, gen, mediaId));
  }
}
