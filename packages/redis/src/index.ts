export { createRedisConnection, redisConnectionOptions, retryDelayMs, type RedisConnectionSpec, type RedisRole } from './connection.js';
