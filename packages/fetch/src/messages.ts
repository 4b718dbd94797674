// The browser-safe part of the package (no node: imports), for the web app and the API's error mapping:
// `import { FETCH_MESSAGES } from '@reelroom/fetch/messages'`.
export { FETCH_MESSAGES, type SizeLimitReason } from './fetch-messages.js';
export { FETCH_ERROR_CODES, FetchError, type FetchErrorCode } from './fetch.error.js';
export { formatBytes } from './format-bytes.js';
