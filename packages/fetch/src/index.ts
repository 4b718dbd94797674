export { FETCH_MESSAGES, type SizeLimitReason } from './fetch-messages.js';
export { FETCH_ERROR_CODES, FetchError, type FetchErrorCode } from './fetch.error.js';
export { formatBytes } from './format-bytes.js';
export { classifyAddress, type AddressVerdict, type BlockedAddressKind } from './policy/address.policy.js';
export {
  DEFAULT_FETCH_POLICY,
  resolveFetchPolicy,
  type FetchPolicy,
  type ResolvedFetchPolicy,
  type TestOnlyAllowances,
} from './policy/fetch-policy.js';
export { checkUrl, type UrlPolicy } from './policy/url.policy.js';
export { DnsHostResolver, type HostResolver, type ResolvedAddress } from './net/host.resolver.js';
export type { Destination } from './net/destination.js';
export type { FetchProgress } from './transfer/progress-throttle.js';
export { FetchSession, HEAD_BYTES, type TransferOptions } from './transfer/fetch-session.js';
export type { OpenedResponse } from './transfer/opened-response.js';
export { SafeFetcher, type DownloadResult, type SafeFetcherDeps } from './safe-fetcher.js';
export { DEFAULT_HLS_LIMITS, type HlsLimits } from './hls/hls-limits.js';
export type { HlsImportSummary } from './hls/hls-import.js';
export { MediaImporter, directLinkResolver, type ImportResult, type MediaLink, type MediaLinkResolver } from './media-importer.js';
