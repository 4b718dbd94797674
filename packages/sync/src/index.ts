// First, before playback-state.ts builds its schemas: in a browser zod must not probe eval (see
// @reelroom/contracts/csp). The bundler may put this package in a chunk that runs before the app's entry.
import '@reelroom/contracts/csp';
export * from './playback-state.js';
export * from './clock.js';
export * from './correction.js';
