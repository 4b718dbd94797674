// The sniffer moved to contracts (issue 13): the transcoder's import worker checks fetched bytes with it.
export { sniff, SNIFF_BYTES, type SniffResult } from '@reelroom/contracts';
