/** The fetched bytes are not media we accept (a web page, an unknown format): failed at once, never retried. */
export class ImportRejectedError extends Error {}

export const IMPORT_SENTENCES = {
  webPage: 'That link leads to a web page, not to a video file. Paste a direct link to the file or to an HLS playlist (.m3u8).',
  unknown: 'This link is not a video we can read (unrecognised format).',
  empty: 'The link answered with an empty file.',
  ytdlpFailed: 'No video could be found on that page.',
  ytdlpLive: 'Live streams cannot be imported, only finished videos.',
  final: 'The video could not be fetched from that link. Try again later.',
} as const;
