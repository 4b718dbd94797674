// First, before any schema is built: in a browser zod must not probe eval (csp.ts). The web app's entry
// imports it too, but a bundler may put these schemas in a shared chunk that runs before the entry's body.
import './csp.js';
export * from './text.js';
export * from './auth.js';
export * from './password-policy.js';
export * from './rooms.js';
export * from './media.js';
export * from './library.js';
export * from './jobs.js';
export * from './job-options.js';
export * from './socket.js';
export * from './chat.js';
export * from './presence.js';
export * from './member-list.js';
export * from './live.js';
export type * from './errors.js';
export * from './env.js';
export * from './import.js';
export * from './file-sniffer.js';
export * from './import-policy.js';
export * from './cameras.js';
export * from './metrics.js';
export * from './admin.js';
export * from './return-path.js';
export * from './queue.js';
export * from './subtitles.js';
export * from './subtitle-text.js';
export * from './account.js';
