import { describe, expect, it } from 'vitest';
import { FetchError } from '../fetch.error.js';
import { parseAttributes, parsePlaylist, type HlsMasterPlaylist, type HlsMediaPlaylist } from './hls-playlist.parser.js';

const limits = { maxVariants: 8, maxSegments: 100 };
const base = new URL('https://cdn.example/show/ep1/master.m3u8?token=abc');

function refusal(text: string, l = limits): FetchError {
  try {
    parsePlaylist(text, base, l);
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error('parsed');
}

const master = (text: string) => parsePlaylist(text, base, limits) as HlsMasterPlaylist;
const media = (text: string) => parsePlaylist(text, base, limits) as HlsMediaPlaylist;

describe('parseAttributes', () => {
  it('reads plain, quoted (with commas) and odd spacing, upper-casing names', () => {
    const a = parseAttributes('BANDWIDTH=1280000,CODECS="avc1.4d401f,mp4a.40.2", resolution=1280x720,AUDIO="aud"');
    expect(Object.fromEntries(a)).toEqual({ BANDWIDTH: '1280000', CODECS: 'avc1.4d401f,mp4a.40.2', RESOLUTION: '1280x720', AUDIO: 'aud' });
  });

  it('skips pieces that are not KEY=value', () => {
    expect(Object.fromEntries(parseAttributes('junk,METHOD=NONE,,="x",URI="k"'))).toEqual({ METHOD: 'NONE', URI: 'k' });
  });
});

describe('parsePlaylist: master', () => {
  it('reads variants and renditions with every URI resolved against the playlist URL', () => {
    const p = master(
      [
        '\uFEFF#EXTM3U',
        '#EXT-X-VERSION:6',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/en.m3u8"',
        '#EXT-X-STREAM-INF:BANDWIDTH=800000,AVERAGE-BANDWIDTH=600000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"',
        'v360/index.m3u8',
        '',
        '#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,AUDIO="aud"',
        '/abs/v720.m3u8',
        '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,URI="iframes.m3u8"',
        '#EXT-X-STREAM-INF:BANDWIDTH=5000000',
        'https://other.example/v1080.m3u8',
      ].join('\r\n'),
    );
    expect(p.kind).toBe('master');
    expect(p.encryption).toBeNull();
    expect(p.variants).toEqual([
      {
        uri: 'https://cdn.example/show/ep1/v360/index.m3u8',
        bandwidth: 800000,
        averageBandwidth: 600000,
        width: 640,
        height: 360,
        codecs: 'avc1.4d401e,mp4a.40.2',
        audioGroup: null,
      },
      {
        uri: 'https://cdn.example/abs/v720.m3u8',
        bandwidth: 2500000,
        averageBandwidth: null,
        width: 1280,
        height: 720,
        codecs: null,
        audioGroup: 'aud',
      },
      {
        uri: 'https://other.example/v1080.m3u8',
        bandwidth: 5000000,
        averageBandwidth: null,
        width: null,
        height: null,
        codecs: null,
        audioGroup: null,
      },
    ]);
    expect(p.renditions).toEqual([{ type: 'AUDIO', groupId: 'aud', uri: 'https://cdn.example/show/ep1/audio/en.m3u8' }]);
  });

  it('reports a session key', () => {
    expect(master('#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=AES-128,URI="k"\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8').encryption).toBe('AES-128');
  });

  it('stops at the variant limit', () => {
    const text = ['#EXTM3U', ...Array.from({ length: 9 }, (_, i) => `#EXT-X-STREAM-INF:BANDWIDTH=${i}\nv${i}.m3u8`)].join('\n');
    const e = refusal(text);
    expect(e.code).toBe('hls-too-many-variants');
    expect(e.userMessage).toBe('The stream offers too many versions (more than 8).');
  });

  it('refuses a list that mixes variants and segments', () => {
    expect(refusal('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXTINF:2,\ns.ts').code).toBe('hls-invalid');
  });
});

describe('parsePlaylist: media', () => {
  it('reads segments, durations, the init segment, and the end', () => {
    const p = media(
      [
        '#EXTM3U',
        '#EXT-X-TARGETDURATION:4',
        '#EXT-X-PLAYLIST-TYPE:VOD',
        '#EXT-X-MAP:URI="init.mp4"',
        '#EXTINF:4.0,',
        'seg0.m4s',
        '# a comment',
        '#EXTINF:3.5,title, with comma',
        '../other/seg1.m4s?x=1',
        '#EXT-X-KEY:METHOD=NONE',
        '#EXTINF:2',
        'https://cdn2.example/seg2.m4s',
        '#EXT-X-ENDLIST',
      ].join('\n'),
    );
    expect(p).toEqual({
      kind: 'media',
      encryption: null,
      usesByteRanges: false,
      ended: true,
      playlistType: 'VOD',
      durationSec: 9.5,
      segments: [
        { uri: 'https://cdn.example/show/ep1/seg0.m4s', duration: 4, map: 'https://cdn.example/show/ep1/init.mp4' },
        { uri: 'https://cdn.example/show/other/seg1.m4s?x=1', duration: 3.5, map: 'https://cdn.example/show/ep1/init.mp4' },
        { uri: 'https://cdn2.example/seg2.m4s', duration: 2, map: 'https://cdn.example/show/ep1/init.mp4' },
      ],
    });
  });

  it('reports encryption, byte ranges and a missing end', () => {
    const p = media(
      '#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="https://keys.example/k"\n#EXTINF:2,\na.ts\n#EXT-X-BYTERANGE:100@0\n#EXTINF:2,\nb.ts',
    );
    expect(p).toMatchObject({ encryption: 'AES-128', usesByteRanges: true, ended: false, playlistType: null });
    expect(media('#EXTM3U\n#EXT-X-MAP:URI="i.mp4",BYTERANGE="500@0"\n#EXTINF:2,\na.m4s\n#EXT-X-ENDLIST').usesByteRanges).toBe(true);
    expect(media('#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI="k"\n#EXTINF:2,\na.ts').encryption).toBe('SAMPLE-AES');
  });

  it('tolerates a URI without #EXTINF and a bad duration', () => {
    expect(media('#EXTM3U\n#EXTINF:abc,\na.ts\nb.ts\n#EXT-X-ENDLIST').segments.map((s) => s.duration)).toEqual([0, 0]);
  });

  it('stops at the segment limit without reading on', () => {
    const text = ['#EXTM3U', ...Array.from({ length: 101 }, (_, i) => `#EXTINF:1,\ns${i}.ts`), '#EXT-X-ENDLIST'].join('\n');
    const e = refusal(text);
    expect(e.code).toBe('hls-too-many-segments');
    expect(e.userMessage).toBe('The stream has too many segments (more than 100).');
    expect(media(['#EXTM3U', ...Array.from({ length: 100 }, (_, i) => `#EXTINF:1,\ns${i}.ts`)].join('\n')).segments).toHaveLength(100);
  });

  it.each([
    ['', 'empty'],
    ['<!doctype html><html></html>', 'html'],
    ['#EXTINF:2,\na.ts', 'no header'],
  ])('refuses %j (%s) as not a playlist', (text) => {
    const e = refusal(text);
    expect(e.code).toBe('hls-invalid');
    expect(e.userMessage).toBe('That playlist is not a valid HLS playlist.');
  });

  it('refuses an EXT-X-MAP without a URI and a URI that cannot be resolved', () => {
    expect(refusal('#EXTM3U\n#EXT-X-MAP:BYTERANGE="1@0"\n#EXTINF:1,\na.m4s').code).toBe('hls-invalid');
    expect(refusal('#EXTM3U\n#EXTINF:1,\nhttp://[bad\n').code).toBe('hls-invalid');
  });

  it('keeps non-http URIs as they are, for the fetcher policy to refuse', () => {
    expect(media('#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST').segments[0].uri).toBe('file:///etc/passwd');
  });
});
