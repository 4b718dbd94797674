/** The two programs the transcoder runs. */
export type BinaryName = 'ffmpeg' | 'ffprobe';

/** Where a binary came from, in the order they are tried. */
export type BinarySource = 'env' | 'static' | 'path';

export interface ResolvedBinary {
  name: BinaryName;
  /** An absolute path, or the bare name for spawn to look up on PATH. */
  path: string;
  source: BinarySource;
}

/** FFMPEG_PATH / FFPROBE_PATH, as the config validated them. */
export interface BinaryEnv {
  ffmpegPath?: string;
  ffprobePath?: string;
}

/** The binaries the optional packages would provide: ffmpeg-static and @derhuerst/ffprobe-static. */
export type StaticBinaries = Record<BinaryName, string | null>;

/**
 * Which ffmpeg / ffprobe to run, in this order:
 * 1. FFMPEG_PATH / FFPROBE_PATH when set: the operator's choice is used as given, even if it turns out
 *    not to exist (the start-up check then says so), never replaced silently by another binary.
 * 2. The optional static package's binary, only if that file exists and is executable: the package
 *    installs without it when its install script could not download (offline, scripts not allowed), and
 *    reports a path anyway.
 * 3. The bare name, looked up on PATH by spawn (Debian's ffmpeg package, Homebrew...).
 * Pure: the file check is passed in.
 */
export function resolveBinary(
  name: BinaryName,
  env: BinaryEnv,
  statics: StaticBinaries,
  isExecutable: (path: string) => boolean,
): ResolvedBinary {
  const fromEnv = name === 'ffmpeg' ? env.ffmpegPath : env.ffprobePath;
  if (fromEnv !== undefined && fromEnv !== '') return { name, path: fromEnv, source: 'env' };
  const bundled = statics[name];
  if (bundled && isExecutable(bundled)) return { name, path: bundled, source: 'static' };
  return { name, path: name, source: 'path' };
}

export function resolveBinaries(
  env: BinaryEnv,
  statics: StaticBinaries,
  isExecutable: (path: string) => boolean,
): Record<BinaryName, ResolvedBinary> {
  return {
    ffmpeg: resolveBinary('ffmpeg', env, statics, isExecutable),
    ffprobe: resolveBinary('ffprobe', env, statics, isExecutable),
  };
}
