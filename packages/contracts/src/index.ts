export * from './auth.js';
export * from './rooms.js';
export * from './media.js';
export * from './jobs.js';
export * from './socket.js';
export * from './errors.js';
export * from './env.js';
