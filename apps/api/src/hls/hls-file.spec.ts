import { describe, expect, it } from 'vitest';
import { hlsFile } from './hls-file.js';

const id = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';

describe('hlsFile', () => {
  it('reads a library copy’s hls files from the stored folder, its subtitle tracks from its own', () => {
    const folder = '11111111-1111-4111-8111-111111111111';
    const sub = '0b5f6f8e-8a44-4f53-9a55-4ad1b5d3d2f1';
    expect(hlsFile(id, ['720p', 'seg_00001.m4s'], folder)?.key).toBe(`${folder}/hls/720p/seg_00001.m4s`);
    expect(hlsFile(id, ['master.m3u8'], folder)).toMatchObject({ key: `${folder}/hls/master.m3u8`, isMaster: true });
    expect(hlsFile(id, ['subtitles', `${sub}.vtt`], folder)?.key).toBe(`${id}/subtitles/${sub}.vtt`);
  });

  it('maps subtitle tracks beside the hls folder: a stored WebVTT, a playlist made from the row', () => {
    const sub = '0b5f6f8e-8a44-4f53-9a55-4ad1b5d3d2f1';
    expect(hlsFile(id, ['subtitles', `${sub}.vtt`])).toEqual({
      key: `${id}/subtitles/${sub}.vtt`,
      contentType: 'text/vtt; charset=utf-8',
      isPlaylist: false,
    });
    expect(hlsFile(id, ['subtitles', `${sub}.m3u8`])).toMatchObject({ isPlaylist: true, subtitlePlaylist: sub });
    for (const bad of [
      ['subtitles', 'x.vtt'],
      ['subtitles', `${sub}.jpg`],
      ['subtitles', 'a', `${sub}.vtt`],
      ['subtitles', `../${sub}.vtt`],
    ]) {
      expect(hlsFile(id, bad), bad.join('/')).toBeNull();
    }
  });

  it('maps playlists, segments, init files and previews to their key and content type', () => {
    expect(hlsFile(id, ['master.m3u8'])).toEqual({
      key: `${id}/hls/master.m3u8`,
      contentType: 'application/vnd.apple.mpegurl',
      isPlaylist: true,
      isMaster: true,
    });
    expect(hlsFile(id, ['720p', 'seg_00001.m4s'])).toEqual({
      key: `${id}/hls/720p/seg_00001.m4s`,
      contentType: 'video/iso.segment',
      isPlaylist: false,
      bytesOnly: true,
    });
    expect(hlsFile(id, ['720p', 'init.mp4'])?.contentType).toBe('video/mp4');
    expect(hlsFile(id, ['storyboard.vtt'])?.contentType).toBe('text/vtt; charset=utf-8');
    expect(hlsFile(id, ['POSTER.JPG'])?.contentType).toBe('image/jpeg');
  });

  it('lets the bucket send media bytes only: never a playlist or WebVTT, whose URIs must resolve on this server', () => {
    for (const s of [['720p', 'init.mp4'], ['720p', 'seg_1.m4s'], ['a', 'seg_1.ts'], ['poster.jpg'], ['storyboard.jpg'], ['x.webp']]) {
      expect(hlsFile(id, s)?.bytesOnly, s.join('/')).toBe(true);
    }
    const sub = '0b5f6f8e-8a44-4f53-9a55-4ad1b5d3d2f1';
    for (const s of [
      ['master.m3u8'],
      ['720p', 'index.m3u8'],
      ['storyboard.vtt'],
      ['subtitles', `${sub}.vtt`],
      ['subtitles', `${sub}.m3u8`],
    ]) {
      expect(hlsFile(id, s)?.bytesOnly, s.join('/')).toBeUndefined();
    }
  });

  it('serves nothing else: the source, unknown types, hidden names, dot segments, deep paths', () => {
    for (const segments of [['source'], ['notes.txt'], ['.env.m3u8'], ['..', 'x.m3u8'], ['a', 'b', 'c', 'd.m4s'], ['x y.m3u8']]) {
      expect(hlsFile(id, segments), JSON.stringify(segments)).toBeNull();
    }
  });
});
