export * from './playback-state.js';
export * from './clock.js';
export * from './correction.js';
