import { z } from 'zod';

/** `POST /api/rooms/:id/media/import` body. The link's policy (scheme, port, address...) is @reelroom/fetch's. */
export const importRequestSchema = z.object({
  url: z.string().trim().min(1, 'Paste a link to a video file or an HLS playlist.').max(4096, 'That link is too long.'),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

/** What the "Add by link" form says works (the yt-dlp sentence only when the operator enabled it). */
export const IMPORT_LINK_KINDS = 'A direct http(s) link to a media file (mp4, webm, mov, mkv, mp3, ...) or an HLS playlist (.m3u8).';
export const IMPORT_LINK_KINDS_YTDLP = 'Pages of video sites that yt-dlp supports work too.';

const seconds = (max: number) => z.coerce.number().positive().max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const ports = z
  .string()
  .regex(/^\s*\d{1,5}(\s*,\s*\d{1,5})*\s*$/, 'must be a comma-separated list of ports, e.g. 80,443')
  .transform((v) => v.split(',').map((p) => Number(p.trim())))
  .refine((list) => list.every((p) => p >= 1 && p <= 65_535), 'ports are 1-65535');
const addresses = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
  )
  .refine((list) => list.every((a) => /^[0-9a-fA-F.:]+$/.test(a)), 'must be a comma-separated list of IP addresses');

/**
 * Import settings, read by both apps (the API checks a link before queueing it, the transcoder's import
 * worker fetches it): spread into each app's env schema so the two cannot disagree on a name or default.
 */
export const importEnvShape = {
  IMPORT_ALLOWED_PORTS: ports.default([80, 443]),
  IMPORT_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  IMPORT_CONNECT_TIMEOUT_SEC: seconds(600).default(10),
  IMPORT_IDLE_TIMEOUT_SEC: seconds(3600).default(30),
  // Below the import job's try budget (24 h, JOB_POLICIES) so the fetcher's sentence always wins.
  IMPORT_TOTAL_TIMEOUT_SEC: seconds(20 * 3600).default(2 * 3600),
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // yt-dlp for pages that are not media links: off unless the operator turns it on (and installs it).
  IMPORT_YTDLP: bool.default(false),
  IMPORT_YTDLP_PATH: z.string().min(1).default('yt-dlp'),
  // Tests only: exact addresses that pass although private (a media server the test starts on loopback).
  // Refused unless NODE_ENV=test (see importSettings).
  IMPORT_TEST_ALLOW_ADDRESSES: addresses.default([]),
};

type ImportEnv = { [K in keyof typeof importEnvShape]: z.infer<(typeof importEnvShape)[K]> };

export interface ImportSettings {
  allowedPorts: number[];
  maxRedirects: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  concurrency: number;
  ytdlp: { enabled: boolean; path: string };
  /** Empty outside tests. */
  testAllowAddresses: string[];
}

export const IMPORT_TEST_SETTING_REFUSED = 'is for tests only: it is refused unless NODE_ENV=test';

/**
 * The parsed settings; throws when the test-only allowance is set outside NODE_ENV=test (callers run this
 * inside their zod schema's superRefine, so it is reported with every other bad variable).
 */
export function importSettings(e: ImportEnv): ImportSettings {
  return {
    allowedPorts: e.IMPORT_ALLOWED_PORTS,
    maxRedirects: e.IMPORT_MAX_REDIRECTS,
    connectTimeoutMs: Math.round(e.IMPORT_CONNECT_TIMEOUT_SEC * 1000),
    idleTimeoutMs: Math.round(e.IMPORT_IDLE_TIMEOUT_SEC * 1000),
    totalTimeoutMs: Math.round(e.IMPORT_TOTAL_TIMEOUT_SEC * 1000),
    concurrency: e.IMPORT_CONCURRENCY,
    ytdlp: { enabled: e.IMPORT_YTDLP, path: e.IMPORT_YTDLP_PATH },
    testAllowAddresses: e.IMPORT_TEST_ALLOW_ADDRESSES,
  };
}

/** For an app's superRefine: the test allowance is only accepted in NODE_ENV=test. */
export function importTestSettingProblem(nodeEnv: string, allow: readonly string[]): string | null {
  return allow.length > 0 && nodeEnv !== 'test' ? `IMPORT_TEST_ALLOW_ADDRESSES ${IMPORT_TEST_SETTING_REFUSED}` : null;
}

/** `GET /api/media/import/options`: what the "Add by link" form tells people. */
export interface ImportOptions {
  /** Video-site pages are resolved with yt-dlp (IMPORT_YTDLP on and the binary installed). */
  ytdlp: boolean;
  /** The sentence for the form: which links work. */
  linkKinds: string;
}
