import { describe, expect, it } from 'vitest';
import { buildProbeArgs, probeFailureMessage } from './probe.js';

describe(buildProbeArgs.name, () => {
  it('limits protocols and passes the input as a file: URL, last', () => {
    const args = buildProbeArgs('/srv/media/in/-i concat:x.mp4');
    expect(args.at(-1)).toBe('file:/srv/media/in/-i concat:x.mp4');
    expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
    expect(args).toEqual(expect.arrayContaining(['-show_format', '-show_streams', '-print_format', 'json']));
  });

  it('lets only allow-listed demuxers open the file, keeps mov external references off and bounds probing', () => {
    const args = buildProbeArgs('/srv/media/x/source');
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('-format_whitelist').split(',')).not.toEqual(expect.arrayContaining(['hls']));
    expect(value('-format_whitelist').split(',')).toContain('mov');
    for (const f of ['hls', 'concat', 'dash', 'image2', 'tty', 'lavfi']) expect(value('-format_whitelist').split(',')).not.toContain(f);
    expect(value('-enable_drefs')).toBe('0');
    expect(value('-use_absolute_path')).toBe('0');
    expect(value('-probesize')).toBe('50M');
    expect(Number(value('-max_streams'))).toBeGreaterThan(16);
  });

  it('refuses relative paths, which could start with a dash or name a protocol', () => {
    expect(() => buildProbeArgs('concat:a.mp4|b.mp4')).toThrow(/absolute/);
  });
});

describe(probeFailureMessage.name, () => {
  it('explains known ffprobe failures in words and never repeats the file path', () => {
    expect(
      probeFailureMessage(
        '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1] moov atom not found\nfile:/srv/m/x/source: Invalid data found when processing input\n',
      ),
    ).toMatch(/^This file is not a video we can read \(it is incomplete: its index is missing/);
    expect(probeFailureMessage("[hls @ 0x1] Format not on whitelist 'mov,matroska'\nfile:/srv/m/x/source: Invalid argument")).toMatch(
      /its format is not supported/,
    );
    expect(
      probeFailureMessage(
        '[matroska,webm @ 0x1] Number of streams exceeds max_streams parameter (64), see the documentation\nfile:/srv/x: Cannot allocate memory',
      ),
    ).toMatch(/^This file has more than 64 streams/);
    const other = probeFailureMessage('file:/srv/media/abc/source: Invalid data found when processing input\n');
    expect(other).toBe('This file is not a video we can read (Invalid data found when processing input).');
  });
});
