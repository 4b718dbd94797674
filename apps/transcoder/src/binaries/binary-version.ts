/** What `<binary> -version` says about itself. */
export interface BinaryVersion {
  /** As printed: "5.1.6-0+deb12u1", "6.1.1-static", "n7.0.2", "N-113348-g0a5813fc68". */
  text: string;
  /** Release number, when the text has one (git snapshots have none). */
  major?: number;
  minor?: number;
}

/**
 * The oldest release the pipeline is tested with (Debian 12's 5.1). The HLS muxer options depend on
 * its behaviour: init segments named through `../%v/init.mp4` (hls-command.ts initFilenameFor, checked
 * against 5.1's hlsenc.c) and `-hls_flags temp_file` applied to segments, so players never read a
 * half-written file. An older ffmpeg would write a stream that looks right and breaks while playing.
 */
export const MIN_VERSION = { major: 5, minor: 1 } as const;

/** Reads the first line of `ffmpeg -version` / `ffprobe -version`; undefined when it is not one. */
export function parseVersion(output: string): BinaryVersion | undefined {
  const m = /^ff(?:mpeg|probe) version (\S+)/.exec(output.trimStart());
  if (!m) return undefined;
  const text = m[1];
  // Releases: "5.1.6-0+deb12u1", "6.1.1-static", "7.0", and the "n7.0.2" tags of git release builds.
  const release = /^n?(\d+)\.(\d+)/.exec(text);
  return release ? { text, major: Number(release[1]), minor: Number(release[2]) } : { text };
}

export type VersionVerdict = 'ok' | 'too-old' | 'unknown';

/** ok at or above MIN_VERSION; unknown for a git snapshot (no release number), which is allowed with a warning. */
export function judgeVersion(version: BinaryVersion, min: { major: number; minor: number } = MIN_VERSION): VersionVerdict {
  if (version.major === undefined || version.minor === undefined) return 'unknown';
  if (version.major !== min.major) return version.major > min.major ? 'ok' : 'too-old';
  return version.minor >= min.minor ? 'ok' : 'too-old';
}
