export {
  createRedisConnection,
  pingWhenReady,
  redisConnectionOptions,
  retryDelayMs,
  type RedisConnectionSpec,
  type RedisRole,
} from './connection.js';
