import { formatBytes } from './format-bytes.js';

/** Which limit a size refusal names: the server's upload limit or what is left of the person's quota. */
export type SizeLimitReason = 'upload-limit' | 'quota';

const SIZE_LIMIT_NAMES: Record<SizeLimitReason, string> = {
  'upload-limit': 'the upload limit',
  quota: 'the space left in your storage quota',
};

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

function listPorts(ports: readonly number[]): string {
  if (ports.length <= 1) return ports.join('');
  return `${ports.slice(0, -1).join(', ')} and ${ports[ports.length - 1]}`;
}

/**
 * Every sentence a refused or failed fetch can show a person, in one place so the API and the UI say the
 * same thing. Sentences with a figure in them are functions.
 */
export const FETCH_MESSAGES = {
  invalidUrl: 'That is not a valid link.',
  unsupportedScheme: 'Only http and https links can be added.',
  credentialsInUrl: 'Links with a user name or password in them cannot be added.',
  urlTooLong: (maxChars: number) => `That link is too long (more than ${maxChars} characters).`,
  portNotAllowed: (ports: readonly number[]) =>
    `Only links on the usual web ports can be added (${ports.length === 1 ? 'port' : 'ports'} ${listPorts(ports)}).`,
  forbiddenAddress: 'That address is on a private network.',
  hostNotFound: 'That server name could not be found.',
  tooManyRedirects: (max: number) => `The link redirects too many times (more than ${max}).`,
  badRedirect: 'The link redirects to an address that is not valid.',
  httpError: (status: number) => `The server answered with an error (HTTP ${status}) instead of sending the file.`,
  tooLarge: (maxBytes: number, reason: SizeLimitReason) => `The file is larger than ${formatBytes(maxBytes)}, ${SIZE_LIMIT_NAMES[reason]}.`,
  connectTimeout: 'The server did not answer in time.',
  idleTimeout: 'The server stopped sending data.',
  totalTimeout: (maxMs: number) => `The download took too long (more than ${formatDuration(maxMs)}).`,
  cancelled: 'The import was cancelled.',
  connectionFailed: 'Could not connect to the server.',
  connectionLost: 'The connection closed before the whole file arrived.',
  tlsFailed: "The server's security certificate is not valid.",
  badResponse: 'The server sent a response that is not valid HTTP.',
  hlsInvalid: 'That playlist is not a valid HLS playlist.',
  hlsPlaylistTooLarge: (maxBytes: number) => `The playlist is larger than ${formatBytes(maxBytes)}, the limit for playlists.`,
  hlsTooManyVariants: (max: number) => `The stream offers too many versions (more than ${max}).`,
  hlsTooManySegments: (max: number) => `The stream has too many segments (more than ${max}).`,
  hlsEncrypted: 'Encrypted HLS streams cannot be imported.',
  hlsByteRanges: 'HLS streams that use byte ranges (EXT-X-BYTERANGE) cannot be imported yet.',
  hlsLive: 'Live streams cannot be imported, only finished videos.',
  hlsEmpty: 'The stream has no segments.',
  hlsNoSuitableVariant: 'None of the versions this stream offers is within our picture size limit.',
  hlsMixedInit: 'HLS streams that switch initialisation segments (EXT-X-MAP) midway cannot be imported.',
} as const;
