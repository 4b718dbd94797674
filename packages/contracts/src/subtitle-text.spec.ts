import { describe, expect, it } from 'vitest';
import {
  cueText,
  decodeSubtitleBytes,
  lastCueEnd,
  parseSubtitleFile,
  SUBTITLE_MAX_BYTES,
  SUBTITLE_MAX_CUES,
  SubtitleFormatError,
  toWebVtt,
} from './subtitle-text.js';
import { languageTagSchema, subtitleUploadFieldsSchema } from './subtitles.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

const SRT = `1
00:00:01,000 --> 00:00:02,500
Hello <i>there</i>

2
00:00:03,250 --> 00:00:04,000
Second line one
Second line two
`;

describe('parseSubtitleFile', () => {
  it('reads SRT cues with their times and line breaks', () => {
    const parsed = parseSubtitleFile(utf8(SRT));
    expect(parsed.format).toBe('srt');
    expect(parsed.encoding).toBe('utf-8');
    expect(parsed.cues).toEqual([
      { start: 1, end: 2.5, text: 'Hello <i>there</i>' },
      { start: 3.25, end: 4, text: 'Second line one\nSecond line two' },
    ]);
  });

  it('converts SRT to WebVTT with a timestamp map hls.js aligns by', () => {
    const vtt = toWebVtt(parseSubtitleFile(utf8(SRT)).cues);
    expect(vtt).toBe(
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n' +
        '00:00:01.000 --> 00:00:02.500\nHello <i>there</i>\n\n' +
        '00:00:03.250 --> 00:00:04.000\nSecond line one\nSecond line two\n',
    );
  });

  it('reads CRLF line ends, a BOM, and a file without a final blank line', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('1\r\n00:00:00,500 --> 00:00:01,000\r\nHi')]);
    expect(parseSubtitleFile(bytes).cues).toEqual([{ start: 0.5, end: 1, text: 'Hi' }]);
  });

  it('reads WebVTT, dropping its header, notes, styles, cue ids and cue settings', () => {
    const vtt = `WEBVTT - a title
Kind: captions

STYLE
::cue { color: red }

NOTE written by hand

intro
01:02.000 --> 01:03.500 align:start line:0
<v Roger>Hi</v> &amp; bye

01:00:00.000 --> 01:00:01.000
late
`;
    const parsed = parseSubtitleFile(utf8(vtt));
    expect(parsed.format).toBe('vtt');
    expect(parsed.cues).toEqual([
      { start: 62, end: 63.5, text: '&lt;v Roger&gt;Hi&lt;/v&gt; &amp; bye' },
      { start: 3600, end: 3601, text: 'late' },
    ]);
    expect(toWebVtt(parsed.cues)).not.toMatch(/STYLE|NOTE|align:|::cue/);
  });

  it('reads Windows-1252 text (legacy SRT) as such', () => {
    const bytes = new Uint8Array([...utf8('1\n00:00:01,000 --> 00:00:02,000\nCaf'), 0xe9, 0x20, 0x80, 0x0a]);
    const parsed = parseSubtitleFile(bytes);
    expect(parsed.encoding).toBe('windows-1252');
    expect(parsed.cues[0].text).toBe('Café €');
  });

  it('reads UTF-16 with a BOM', () => {
    const text = '1\n00:00:01,000 --> 00:00:02,000\nÜber\n';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) le[2 + i * 2] = text.charCodeAt(i);
    expect(decodeSubtitleBytes(le).encoding).toBe('utf-16le');
    expect(parseSubtitleFile(le).cues[0].text).toBe('Über');
  });

  it('shows script-like content as text, never as markup', () => {
    const srt = `1\n00:00:01,000 --> 00:00:02,000\n<script>alert(1)</script><img src=x onerror=alert(2)> <b>bold\n`;
    const [cue] = parseSubtitleFile(utf8(srt)).cues;
    expect(cue.text).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; <b>bold</b>');
    expect(toWebVtt([cue])).not.toContain('<script');
  });

  it('keeps an arrow in cue text from ending the cue', () => {
    expect(cueText('a --> b')).toBe('a --&gt; b');
  });

  it('drops SRT font tags and ASS overrides, and blank lines inside a cue', () => {
    expect(cueText('{\\an8}<font color="#ff0000">Red</font>\n\n  \nNext')).toBe('Red\nNext');
  });

  it('refuses a file with more cues than any film has', () => {
    const blocks: string[] = [];
    for (let i = 0; i <= SUBTITLE_MAX_CUES; i++) blocks.push(`${i + 1}\n00:00:01,000 --> 00:00:01,500\nx`);
    expect(() => parseSubtitleFile(utf8(blocks.join('\n\n')))).toThrow(/more than 20,000 subtitles/);
  });

  it('refuses a file over the size limit before reading it', () => {
    expect(() => parseSubtitleFile(new Uint8Array(SUBTITLE_MAX_BYTES + 1))).toThrow(SubtitleFormatError);
  });

  it('refuses what is not a subtitle file, with a sentence', () => {
    expect(() => parseSubtitleFile(utf8('<html><body>hi</body></html>'))).toThrow(/no timing line/);
    expect(() => parseSubtitleFile(utf8(''))).toThrow(/no subtitles in it/);
    expect(() => parseSubtitleFile(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0]))).toThrow(/binary data/);
    expect(() => parseSubtitleFile(utf8('1\n00:00:05,000 --> 00:00:02,000\nbackwards'))).toThrow(/ends before it starts/);
    expect(() => parseSubtitleFile(utf8('1\n99:00:00,000 --> 99:00:01,000\nlate'))).toThrow(/after 48 hours/);
  });

  it('measures the end of the last cue', () => {
    expect(lastCueEnd(parseSubtitleFile(utf8(SRT)).cues)).toBe(4);
    expect(lastCueEnd([])).toBe(0);
  });
});

describe('subtitle upload fields', () => {
  it('accepts BCP 47 language tags and refuses anything else', () => {
    for (const tag of ['en', 'pt-BR', 'zh-Hant-TW', 'es-419', 'sr-Latn', 'fil'])
      expect(languageTagSchema.safeParse(tag).success).toBe(true);
    for (const tag of ['', 'english', 'en_US', 'en-', 'x-klingon', 'en"', 'en,FORCED=YES'])
      expect(languageTagSchema.safeParse(tag).success).toBe(false);
  });

  it('wants a label a person can read', () => {
    expect(subtitleUploadFieldsSchema.safeParse({ label: 'English', language: 'en' }).success).toBe(true);
    expect(subtitleUploadFieldsSchema.safeParse({ label: '', language: 'en' }).success).toBe(false);
    expect(subtitleUploadFieldsSchema.safeParse({ label: 'a"\u202e', language: 'en' }).success).toBe(false);
  });
});
