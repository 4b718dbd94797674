import { describe, expect, it } from 'vitest';
import { subtitleMediaPlaylist, withSubtitleRenditions } from './subtitle-playlists.js';

const MASTER = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Main",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="aud"
high/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=300000,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,AUDIO="aud"
low/index.m3u8
#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,AVERAGE-BANDWIDTH=80000,CODECS="avc1.64001f",RESOLUTION=1280x720,URI="high/iframes.m3u8"
`;

const EN = { id: '11111111-1111-4111-8111-111111111111', label: 'English', language: 'en' };
const FR = { id: '22222222-2222-4222-8222-222222222222', label: 'Français "SDH"', language: 'fr' };

describe('withSubtitleRenditions', () => {
  it('leaves the master as it is without subtitles', () => {
    expect(withSubtitleRenditions(MASTER, [])).toBe(MASTER);
  });

  it('adds one SUBTITLES rendition per track and names the group on every variant, not on I-frame playlists', () => {
    const out = withSubtitleRenditions(MASTER, [EN, FR]);
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('#EXT-X-MEDIA:TYPE=SUBTITLES'))).toEqual([
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subtitles/${EN.id}.m3u8"`,
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Français 'SDH'",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subtitles/${FR.id}.m3u8"`,
    ]);
    const variants = lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF:'));
    expect(variants).toHaveLength(2);
    for (const v of variants) expect(v).toMatch(/,AUDIO="aud",SUBTITLES="subs"$/);
    expect(lines.find((l) => l.startsWith('#EXT-X-I-FRAME-STREAM-INF'))).not.toContain('SUBTITLES');
    // Renditions come before the first variant that names their group.
    expect(lines.findIndex((l) => l.includes('TYPE=SUBTITLES'))).toBeLessThan(lines.findIndex((l) => l.startsWith('#EXT-X-STREAM-INF')));
  });

  it('is idempotent: a master that already has subtitle entries gets exactly the current ones', () => {
    const once = withSubtitleRenditions(MASTER, [EN, FR]);
    const twice = withSubtitleRenditions(once, [EN]);
    expect(twice.match(/TYPE=SUBTITLES/g)).toHaveLength(1);
    expect(twice.match(/SUBTITLES="subs"/g)).toHaveLength(2);
  });
});

describe('subtitleMediaPlaylist', () => {
  it('is one WebVTT segment spanning the media, VOD', () => {
    expect(subtitleMediaPlaylist(EN.id, 12.5)).toBe(
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:13\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:12.500,\n${EN.id}.vtt\n#EXT-X-ENDLIST\n`,
    );
  });

  it('never advertises a zero-length segment', () => {
    expect(subtitleMediaPlaylist(EN.id, 0)).toContain('#EXTINF:1.000,');
  });
});
