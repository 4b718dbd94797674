import { describe, expect, it } from 'vitest';
import { subtitleIdSchema } from '@reelroom/contracts';
import { buildSubtitleCommand, embeddedSubtitleId, planSubtitles, subtitleLabel, subtitleLanguage } from './subtitle-command.js';

describe('planSubtitles', () => {
  it('extracts text subtitles and skips bitmap ones with a reason', () => {
    const plan = planSubtitles({
      subtitles: [
        { index: 2, codec: 'subrip', language: 'eng' },
        { index: 3, codec: 'hdmv_pgs_subtitle', language: 'fre' },
        { index: 4, codec: 'ass' },
        { index: 5, codec: 'mov_text' },
        { index: 6, codec: 'eia_608' },
      ],
    });
    expect(plan.extract.map((s) => s.index)).toEqual([2, 4, 5]);
    expect(plan.skipped.map((s) => [s.stream.index, s.reason])).toEqual([
      [3, 'bitmap subtitles (hdmv_pgs_subtitle) cannot become text without OCR'],
      [6, 'subtitle codec eia_608 is not one we convert'],
    ]);
  });

  it('has nothing to do without subtitle streams', () => {
    expect(planSubtitles({})).toEqual({ extract: [], skipped: [] });
  });
});

describe('buildSubtitleCommand', () => {
  it('reads the source once, hardened, and writes one WebVTT per stream without decoding video or audio', () => {
    const args = buildSubtitleCommand({
      sourcePath: '/m/x/source',
      formatName: 'matroska,webm',
      outputs: [
        { index: 2, outPath: '/m/x/subtitles/a.vtt' },
        { index: 4, outPath: '/m/x/subtitles/b.vtt' },
      ],
    });
    const joined = args.join(' ');
    expect(joined).toContain('-protocol_whitelist file');
    expect(joined).toContain('-f matroska -i file:/m/x/source');
    expect(joined).toContain('-map 0:2 -vn -an -dn -c:s webvtt -f webvtt /m/x/subtitles/a.vtt');
    expect(joined).toContain('-map 0:4 -vn -an -dn -c:s webvtt -f webvtt /m/x/subtitles/b.vtt');
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
  });

  it('refuses relative paths', () => {
    expect(() =>
      buildSubtitleCommand({ sourcePath: 'source', formatName: 'matroska,webm', outputs: [{ index: 2, outPath: '/o.vtt' }] }),
    ).toThrow();
  });
});

describe('track names', () => {
  it('turns container language codes into BCP 47', () => {
    expect(subtitleLanguage({ index: 0, codec: 'subrip', language: 'eng' })).toBe('en');
    expect(subtitleLanguage({ index: 0, codec: 'subrip', language: 'pt-BR' })).toBe('pt-br');
    expect(subtitleLanguage({ index: 0, codec: 'subrip', language: 'und' })).toBe('und');
    expect(subtitleLanguage({ index: 0, codec: 'subrip', language: 'bad tag"' })).toBe('und');
    expect(subtitleLanguage({ index: 0, codec: 'subrip' })).toBe('und');
  });

  it('labels a track by its title, else its language, else its position', () => {
    expect(subtitleLabel({ index: 0, codec: 'subrip', title: 'English "SDH"', language: 'eng' }, 1)).toBe('English  SDH');
    expect(subtitleLabel({ index: 0, codec: 'subrip', language: 'fre' }, 2)).toBe('French');
    expect(subtitleLabel({ index: 0, codec: 'subrip' }, 3)).toBe('Track 3');
  });

  it('gives a stream the same UUID on every try', () => {
    const id = embeddedSubtitleId('0b5f6f8e-8a44-4f53-9a55-4ad1b5d3d2f1', 2);
    expect(subtitleIdSchema.safeParse(id).success).toBe(true);
    expect(embeddedSubtitleId('0b5f6f8e-8a44-4f53-9a55-4ad1b5d3d2f1', 2)).toBe(id);
    expect(embeddedSubtitleId('0b5f6f8e-8a44-4f53-9a55-4ad1b5d3d2f1', 3)).not.toBe(id);
  });
});
