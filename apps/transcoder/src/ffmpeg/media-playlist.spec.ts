import { describe, expect, it } from 'vitest';
import { hasEndList, parseMediaPlaylist, pinTargetDuration, replaceMapUri, toVodPlaylist } from './media-playlist.js';

// As written by ffmpeg 5.1 with -var_stream_map and -hls_segment_type fmp4.
const FFMPEG_OUTPUT = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init_0.mp4"
#EXTINF:4.000000,
seg_00000.m4s
#EXTINF:2.000000,
seg_00001.m4s
#EXT-X-ENDLIST
`;

describe(parseMediaPlaylist.name, () => {
  it('reads the init URI and each segment with its duration', () => {
    expect(parseMediaPlaylist(FFMPEG_OUTPUT)).toEqual({
      mapUri: 'init_0.mp4',
      segments: [
        { durationSec: 4, uri: 'seg_00000.m4s' },
        { durationSec: 2, uri: 'seg_00001.m4s' },
      ],
    });
  });

  it('accepts CRLF line endings and EXTINF titles', () => {
    const text = '#EXTM3U\r\n#EXTINF:3.5,title\r\na.m4s\r\n';
    expect(parseMediaPlaylist(text).segments).toEqual([{ durationSec: 3.5, uri: 'a.m4s' }]);
  });

  it('refuses text that is not a playlist or a URI without EXTINF', () => {
    expect(() => parseMediaPlaylist('hello')).toThrow(/not an m3u8/);
    expect(() => parseMediaPlaylist('#EXTM3U\nseg.m4s\n')).toThrow(/without EXTINF/);
  });
});

describe(replaceMapUri.name, () => {
  it('rewrites only the EXT-X-MAP URI', () => {
    const out = replaceMapUri(FFMPEG_OUTPUT, 'init.mp4');
    expect(out).toContain('#EXT-X-MAP:URI="init.mp4"\n');
    expect(out.replace('init.mp4', 'init_0.mp4')).toBe(FFMPEG_OUTPUT);
  });
});

// As written by ffmpeg 5.1 mid-encode with -hls_playlist_type event and -hls_fmp4_init_filename ../%v/init.mp4.
const EVENT_PLAYLIST = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="../high/init.mp4"
#EXTINF:2.000000,
seg_00000.m4s
#EXTINF:2.000000,
seg_00001.m4s
`;

describe(toVodPlaylist.name, () => {
  it('turns an EVENT playlist into VOD with ENDLIST and the fixed init name, segments untouched', () => {
    const vod = toVodPlaylist(EVENT_PLAYLIST, 'init.mp4');
    expect(vod).toBe(`#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init.mp4"
#EXTINF:2.000000,
seg_00000.m4s
#EXTINF:2.000000,
seg_00001.m4s
#EXT-X-ENDLIST
`);
    expect(parseMediaPlaylist(vod).segments).toEqual(parseMediaPlaylist(EVENT_PLAYLIST).segments);
  });

  it('keeps a single ENDLIST when ffmpeg already wrote one, and adds the type tag when missing', () => {
    const ended = `${EVENT_PLAYLIST}#EXT-X-ENDLIST\n`;
    const vod = toVodPlaylist(ended, 'init.mp4');
    expect(vod.match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
    expect(vod.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
    const untyped = EVENT_PLAYLIST.replace('#EXT-X-PLAYLIST-TYPE:EVENT\n', '');
    const fixed = toVodPlaylist(untyped, 'init.mp4');
    expect(fixed.indexOf('#EXT-X-PLAYLIST-TYPE:VOD')).toBeLessThan(fixed.indexOf('#EXT-X-MAP'));
  });

  it('refuses text that is not a playlist', () => {
    expect(() => toVodPlaylist('hello', 'init.mp4')).toThrow();
  });
});

describe(hasEndList.name, () => {
  it('tells a finished playlist from one still growing', () => {
    expect(hasEndList(EVENT_PLAYLIST)).toBe(false);
    expect(hasEndList(toVodPlaylist(EVENT_PLAYLIST, 'init.mp4'))).toBe(true);
  });
});

describe(pinTargetDuration.name, () => {
  // ffmpeg's EVENT playlist while it lists only the two 1 s segments of the short-first grid.
  const EARLY = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="../high/init.mp4"
#EXTINF:1.000000,
seg_00000.m4s
#EXTINF:1.000000,
seg_00001.m4s
`;

  it('raises a smaller target to the pinned one and changes nothing else', () => {
    expect(pinTargetDuration(EARLY, 2)).toBe(EARLY.replace('#EXT-X-TARGETDURATION:1', '#EXT-X-TARGETDURATION:2'));
  });

  it('gives the same target at every reload, before and after the first 2 s segment', () => {
    const later = `${EARLY.replace('#EXT-X-TARGETDURATION:1', '#EXT-X-TARGETDURATION:2')}#EXTINF:2.000000,\nseg_00002.m4s\n`;
    const targets = [EARLY, later].map((t) => /^#EXT-X-TARGETDURATION:(\d+)$/m.exec(pinTargetDuration(t, 2))?.[1]);
    expect(targets).toEqual(['2', '2']);
  });

  it('keeps a larger target, so no listed segment ever exceeds it', () => {
    const longer = EARLY.replace('#EXT-X-TARGETDURATION:1', '#EXT-X-TARGETDURATION:3');
    expect(pinTargetDuration(longer, 2)).toBe(longer);
  });

  it('refuses a playlist without a target and a target that is not a whole number of seconds', () => {
    expect(() => pinTargetDuration('#EXTM3U\n#EXTINF:1,\na.m4s\n', 2)).toThrow('no EXT-X-TARGETDURATION');
    expect(() => pinTargetDuration(EARLY, 1.5)).toThrow('bad target duration');
    expect(() => pinTargetDuration(EARLY, 0)).toThrow('bad target duration');
  });
});
