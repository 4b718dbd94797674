import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { BinaryCheckError, checkMediaBinaries, readVersion, type BinaryCheckDeps, type VersionOutput } from './media-binaries.js';

const DEBIAN = 'ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\n';
const PROBE_DEBIAN = 'ffprobe version 5.1.6-0+deb12u1 Copyright (c) 2007-2024 the FFmpeg developers\n';

/** A pino logger whose lines are kept as objects. */
function capturingLogger() {
  type LogLine = { level: number; msg: string };
  const lines: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

/** Answers `-version` per path; paths not listed do not exist. */
function deps(
  answers: Record<string, VersionOutput>,
  statics: BinaryCheckDeps['statics'] = { ffmpeg: null, ffprobe: null },
): BinaryCheckDeps & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    statics,
    isExecutable: (path) => path in answers,
    readVersion: async (path) => {
      asked.push(path);
      return answers[path] ?? { ok: false, reason: 'missing', detail: 'not found' };
    },
  };
}

describe(checkMediaBinaries.name, () => {
  it('checks the version of whichever binary was chosen and logs the pair', async () => {
    const { log, lines } = capturingLogger();
    const d = deps(
      {
        '/s/ffmpeg': { ok: true, output: 'ffmpeg version 6.1.1-static\n' },
        ffprobe: { ok: true, output: 'ffprobe version 6.1.1-static\n' },
      },
      { ffmpeg: '/s/ffmpeg', ffprobe: '/s/ffprobe-not-downloaded' },
    );
    const found = await checkMediaBinaries({}, log, d);
    expect(d.asked.sort()).toEqual(['/s/ffmpeg', 'ffprobe']);
    expect(found.ffmpeg).toMatchObject({ path: '/s/ffmpeg', source: 'static', version: { text: '6.1.1-static', major: 6, minor: 1 } });
    expect(found.ffprobe).toMatchObject({ path: 'ffprobe', source: 'path', version: { major: 6 } });
    expect(lines.find((l) => l.msg === 'media binaries')).toMatchObject({
      ffmpeg: { path: '/s/ffmpeg', source: 'static', version: '6.1.1-static' },
    });
  });

  it('refuses to start with a binary older than 5.1, naming it, its version and the variable to set', async () => {
    const d = deps({
      ffmpeg: { ok: true, output: 'ffmpeg version 4.4.2-0ubuntu0.22.04.1\n' },
      ffprobe: { ok: true, output: PROBE_DEBIAN },
    });
    const err = await checkMediaBinaries({}, capturingLogger().log, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinaryCheckError);
    expect((err as Error).message).toBe(
      'ffmpeg at "ffmpeg" (looked up on PATH) is version 4.4.2-0ubuntu0.22.04.1; Reelroom needs 5.1 or newer (its HLS muxer behaviour). Install a newer ffmpeg, or set FFMPEG_PATH to one.',
    );
  });

  it('refuses to start when the chosen binary does not exist, and says how to get one', async () => {
    const d = deps({ ffmpeg: { ok: true, output: DEBIAN } });
    await expect(checkMediaBinaries({ ffprobePath: '/opt/missing/ffprobe' }, capturingLogger().log, d)).rejects.toThrow(
      /^ffprobe at "\/opt\/missing\/ffprobe" \(from FFPROBE_PATH\) cannot be run: not found\. Install ffmpeg .* or set FFPROBE_PATH/,
    );
  });

  it('refuses a program that is not ffmpeg at all', async () => {
    const d = deps({ '/usr/bin/node': { ok: true, output: 'v20.20.2\n' }, ffprobe: { ok: true, output: PROBE_DEBIAN } });
    await expect(checkMediaBinaries({ ffmpegPath: '/usr/bin/node' }, capturingLogger().log, d)).rejects.toThrow(
      /did not print an ffmpeg version/,
    );
    const failing = deps({
      '/bin/false': { ok: false, reason: 'failed', detail: 'exit code 1' },
      ffprobe: { ok: true, output: PROBE_DEBIAN },
    });
    await expect(checkMediaBinaries({ ffmpegPath: '/bin/false' }, capturingLogger().log, failing)).rejects.toThrow(
      /failed on -version \(exit code 1\)/,
    );
  });

  it('starts with a warning when a binary does not answer in time or is a git snapshot', async () => {
    const { log, warnings } = capturingLogger();
    const d = deps({
      '/w/ffmpeg': { ok: false, reason: 'timeout', detail: 'no answer' },
      ffprobe: { ok: true, output: 'ffprobe version N-113348-g0a5813fc68\n' },
    });
    const found = await checkMediaBinaries({ ffmpegPath: '/w/ffmpeg' }, log, d);
    expect(found.ffmpeg.version).toBeUndefined();
    expect(found.ffprobe.version).toEqual({ text: 'N-113348-g0a5813fc68' });
    expect(warnings()).toEqual([
      'ffmpeg did not answer -version within 5 s; starting without knowing its version',
      'ffprobe is a development build without a release number; it is used as is',
    ]);
  });

  it('warns when ffmpeg and ffprobe come from different releases', async () => {
    const { log, warnings } = capturingLogger();
    await checkMediaBinaries(
      {},
      log,
      deps({ ffmpeg: { ok: true, output: 'ffmpeg version 6.1.1\n' }, ffprobe: { ok: true, output: PROBE_DEBIAN } }),
    );
    expect(warnings()).toEqual(['ffmpeg and ffprobe come from different releases; install them from one build']);
  });
});

describe(readVersion.name, () => {
  it('tells a missing binary from one that fails', async () => {
    expect(await readVersion('/nonexistent/ffmpeg')).toEqual({ ok: false, reason: 'missing', detail: 'not found' });
    // node rejects -version: a program that runs but is not ffmpeg.
    expect(await readVersion(process.execPath)).toMatchObject({ ok: false, reason: 'failed' });
  });
});
