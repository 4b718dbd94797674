import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import { resolveBinaries, type BinaryEnv, type BinaryName, type ResolvedBinary, type StaticBinaries } from './binary-resolution.js';
import { judgeVersion, MIN_VERSION, parseVersion, type BinaryVersion } from './binary-version.js';

export const MEDIA_BINARIES = Symbol('MEDIA_BINARIES');

export interface CheckedBinary extends ResolvedBinary {
  /** undefined when the binary did not say (it did not answer in time). */
  version?: BinaryVersion;
}

/** The ffmpeg and ffprobe this process runs, chosen and checked once at start-up. */
export interface MediaBinaries {
  ffmpeg: CheckedBinary;
  ffprobe: CheckedBinary;
}

/** Start-up refused: the message says what is wrong and what to do. */
export class BinaryCheckError extends Error {
  override name = 'BinaryCheckError';
}

/** A real ffmpeg prints its version in milliseconds; this only bounds a wrapper that never answers. */
export const VERSION_TIMEOUT_MS = 5_000;

const ENV_VAR: Record<BinaryName, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const STATIC_PACKAGE: Record<BinaryName, string> = { ffmpeg: 'ffmpeg-static', ffprobe: '@derhuerst/ffprobe-static' };

export type VersionOutput = { ok: true; output: string } | { ok: false; reason: 'missing' | 'timeout' | 'failed'; detail: string };

export interface BinaryCheckDeps {
  statics: StaticBinaries;
  isExecutable: (path: string) => boolean;
  readVersion: (path: string) => Promise<VersionOutput>;
}

/**
 * Picks ffmpeg and ffprobe (resolveBinaries) and checks each with `-version`: a missing binary, one that
 * fails, or a release older than MIN_VERSION stops the start with a BinaryCheckError; a git snapshot
 * (no release number) or a binary that does not answer in time is logged and accepted.
 */
export async function checkMediaBinaries(env: BinaryEnv, log: Logger, deps: BinaryCheckDeps = defaultDeps(log)): Promise<MediaBinaries> {
  const chosen = resolveBinaries(env, deps.statics, deps.isExecutable);
  const [ffmpeg, ffprobe] = await Promise.all([check(chosen.ffmpeg, deps, log), check(chosen.ffprobe, deps, log)]);
  if (ffmpeg.version?.major !== undefined && ffprobe.version?.major !== undefined) {
    const a = `${ffmpeg.version.major}.${ffmpeg.version.minor}`;
    const b = `${ffprobe.version.major}.${ffprobe.version.minor}`;
    // ffprobe's format names choose the demuxer ffmpeg is forced to use: a pair from one build agrees.
    if (a !== b)
      log.warn(
        { ffmpeg: ffmpeg.version.text, ffprobe: ffprobe.version.text },
        'ffmpeg and ffprobe come from different releases; install them from one build',
      );
  }
  log.info({ ffmpeg: summary(ffmpeg), ffprobe: summary(ffprobe) }, 'media binaries');
  return { ffmpeg, ffprobe };
}

async function check(binary: ResolvedBinary, deps: BinaryCheckDeps, log: Logger): Promise<CheckedBinary> {
  const out = await deps.readVersion(binary.path);
  const where = `${binary.name} at "${binary.path}" (${sourceText(binary)})`;
  if (!out.ok) {
    if (out.reason === 'timeout') {
      log.warn(
        { binary: summary(binary) },
        `${binary.name} did not answer -version within ${VERSION_TIMEOUT_MS / 1000} s; starting without knowing its version`,
      );
      return binary;
    }
    if (out.reason === 'missing') {
      throw new BinaryCheckError(
        `${where} cannot be run: ${out.detail}. Install ffmpeg (apt-get install ffmpeg, brew install ffmpeg), or set ${ENV_VAR[binary.name]} to the path of an ${binary.name} ${minText()} or newer.`,
      );
    }
    throw new BinaryCheckError(
      `${where} failed on -version (${out.detail}); it does not look like a working ${binary.name}. Set ${ENV_VAR[binary.name]} to an ${binary.name} ${minText()} or newer.`,
    );
  }
  const version = parseVersion(out.output);
  if (!version) {
    throw new BinaryCheckError(
      `${where} did not print an ${binary.name} version; it does not look like ${binary.name}. Set ${ENV_VAR[binary.name]} to an ${binary.name} ${minText()} or newer.`,
    );
  }
  const verdict = judgeVersion(version);
  if (verdict === 'too-old') {
    throw new BinaryCheckError(
      `${where} is version ${version.text}; Reelroom needs ${minText()} or newer (its HLS muxer behaviour). Install a newer ffmpeg, or set ${ENV_VAR[binary.name]} to one.`,
    );
  }
  if (verdict === 'unknown')
    log.warn(
      { binary: summary(binary), version: version.text },
      `${binary.name} is a development build without a release number; it is used as is`,
    );
  return { ...binary, version };
}

const minText = () => `${MIN_VERSION.major}.${MIN_VERSION.minor}`;

function sourceText(b: ResolvedBinary): string {
  if (b.source === 'env') return `from ${ENV_VAR[b.name]}`;
  if (b.source === 'static') return `from the ${STATIC_PACKAGE[b.name]} package`;
  return 'looked up on PATH';
}

function summary(b: CheckedBinary): { path: string; source: string; version?: string } {
  return { path: b.path, source: b.source, ...(b.version && { version: b.version.text }) };
}

export function defaultDeps(log: Logger): BinaryCheckDeps {
  return { statics: locateStaticBinaries(log), isExecutable: isExecutableFile, readVersion };
}

/**
 * Asks the optional packages where their binary would be. Either may be absent: npm drops an optional
 * dependency whose install script failed (no network), so a missing module is not an error.
 */
export function locateStaticBinaries(log: Logger): StaticBinaries {
  const require = createRequire(import.meta.url);
  const locate = (pkg: string): string | null => {
    try {
      const path: unknown = require(pkg);
      return typeof path === 'string' ? path : null;
    } catch (err) {
      // Not installed is the ordinary case; a package that is there but broken is worth a line, and
      // the binary on PATH is used instead.
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND')
        log.warn({ package: pkg, err: (err as Error).message }, 'optional ffmpeg package could not be loaded');
      return null;
    }
  };
  return { ffmpeg: locate(STATIC_PACKAGE.ffmpeg), ffprobe: locate(STATIC_PACKAGE.ffprobe) };
}

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `<path> -version`, killed after VERSION_TIMEOUT_MS. */
export function readVersion(path: string): Promise<VersionOutput> {
  return new Promise((resolve) => {
    execFile(
      path,
      ['-version'],
      { timeout: VERSION_TIMEOUT_MS, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (!error) return resolve({ ok: true, output: stdout });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (e.code === 'ENOENT' || e.code === 'EACCES')
          return resolve({ ok: false, reason: 'missing', detail: e.code === 'ENOENT' ? 'not found' : 'not executable' });
        if (e.killed) return resolve({ ok: false, reason: 'timeout', detail: 'no answer' });
        resolve({ ok: false, reason: 'failed', detail: `exit code ${String(e.code)}` });
      },
    );
  });
}
