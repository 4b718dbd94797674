import { describe, expect, it } from 'vitest';
import { buildProbeArgs } from './probe.js';

describe(buildProbeArgs.name, () => {
  it('limits protocols and passes the input as a file: URL, last', () => {
    const args = buildProbeArgs('/srv/media/in/-i concat:x.mp4');
    expect(args.at(-1)).toBe('file:/srv/media/in/-i concat:x.mp4');
    expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
    expect(args).toEqual(expect.arrayContaining(['-show_format', '-show_streams', '-print_format', 'json']));
  });

  it('refuses relative paths, which could start with a dash or name a protocol', () => {
    expect(() => buildProbeArgs('concat:a.mp4|b.mp4')).toThrow(/absolute/);
  });
});
