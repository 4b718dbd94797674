import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView, SubtitlesView, SubtitleView } from '@reelroom/contracts';
import { ApiClient, errorOf } from '../support/api-client.js';
import { parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { FFMPEG_PATH, makeClip } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

// Issue 12, subtitles: an uploaded SRT becomes a WebVTT rendition of the master playlist, served with
// the same auth as the rest of the HLS; an MKV's embedded text track is extracted by the transcoder;
// hostile files are refused with a sentence.
const run = promisify(execFile);

const SRT = `1
00:00:00,200 --> 00:00:01,500
Hello from the subtitles

2
00:00:01,600 --> 00:00:02,800
<script>alert(1)</script> second cue
`;

let stack: Stack;
let owner: ApiClient;
let room: RoomView;
let mediaId: string;
let mkvMediaId: string;

function subtitleForm(bytes: string | Uint8Array, label = 'English', language = 'en', name = 'subs.srt'): FormData {
  const form = new FormData();
  form.append('label', label);
  form.append('language', language);
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  return form;
}

const uploadSubtitle = (mId: string, form: FormData) => owner.request('POST', `/api/media/${mId}/subtitles`, form);
const text = async (path: string, client = owner) => {
  const res = await client.request('GET', path);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
};

/** An MKV with video and one SubRip track (language eng), muxed by ffmpeg from a clip and an SRT file. */
async function makeMkvWithSubtitles(): Promise<string> {
  const clip = await makeClip({ seconds: 3, width: 320, height: 180 });
  const srt = join(dirname(clip), 'embedded.srt');
  await writeFile(srt, '1\n00:00:00,500 --> 00:00:02,000\nEmbedded track speaking\n');
  const out = join(dirname(clip), 'with-subs.mkv');
  await run(FFMPEG_PATH, [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', clip, '-i', srt],
    ...['-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'srt', '-metadata:s:s:0', 'language=eng', out],
  ]);
  return out;
}

beforeAll(async () => {
  stack = await startStack({ web: false });
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Host');
  room = await owner.createRoom('Subtitles');
  const clip = await makeClip({ seconds: 3, width: 320, height: 180 });
  mediaId = (await owner.waitForMedia((await owner.upload(room.id, clip, 'a.mp4')).id)).id;
  mkvMediaId = (await owner.waitForMedia((await owner.upload(room.id, await makeMkvWithSubtitles(), 'film.mkv')).id)).id;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('an uploaded SRT', () => {
  let track: SubtitleView;

  it('becomes a subtitle rendition of the master, with a one-segment playlist and our WebVTT', async () => {
    const before = await text(`/media/${mediaId}/master.m3u8`);
    expect(before.body).not.toContain('TYPE=SUBTITLES');

    const res = await uploadSubtitle(mediaId, subtitleForm(SRT));
    expect(res.status).toBe(201);
    track = (await res.json()) as SubtitleView;
    expect(track).toMatchObject({ mediaId, label: 'English', language: 'en', origin: 'upload', cueCount: 2 });

    const master = await text(`/media/${mediaId}/master.m3u8`);
    const media = master.body.split('\n').filter((l) => l.startsWith('#EXT-X-MEDIA:TYPE=SUBTITLES'));
    expect(media).toEqual([
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subtitles/${track.id}.m3u8"`,
    ]);
    const variants = master.body.split('\n').filter((l) => l.startsWith('#EXT-X-STREAM-INF'));
    expect(variants.length).toBeGreaterThan(0);
    for (const v of variants) expect(v).toContain('SUBTITLES="subs"');
    expect(parseMaster(master.body).length).toBe(variants.length);

    const playlist = await text(`/media/${mediaId}/subtitles/${track.id}.m3u8`);
    expect(playlist.status).toBe(200);
    expect(playlist.type).toBe('application/vnd.apple.mpegurl');
    const parsed = parseMediaPlaylist(playlist.body);
    expect(parsed.segments.map((s) => s.uri)).toEqual([`${track.id}.vtt`]);
    expect(parsed.segments[0].duration).toBeGreaterThanOrEqual(2.8);
    expect(parsed.ended).toBe(true);

    const vtt = await text(`/media/${mediaId}/subtitles/${track.id}.vtt`);
    expect(vtt.status).toBe(200);
    expect(vtt.type).toBe('text/vtt; charset=utf-8');
    expect(vtt.body).toMatch(/^WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n/);
    expect(vtt.body).toContain('00:00:00.200 --> 00:00:01.500\nHello from the subtitles');
    // Script-like content is text, not markup.
    expect(vtt.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; second cue');
    expect(vtt.body).not.toContain('<script>');
  });

  it('is served only to people who may watch the media, like the rest of the HLS', async () => {
    const stranger = new ApiClient(stack.baseUrl);
    await stranger.register(undefined, 'Stranger');
    expect((await text(`/media/${mediaId}/subtitles/${track.id}.vtt`, stranger)).status).toBe(404);
    expect((await text(`/media/${mediaId}/subtitles/${track.id}.m3u8`, stranger)).status).toBe(404);
    expect((await new ApiClient(stack.baseUrl).request('GET', `/media/${mediaId}/subtitles/${track.id}.vtt`)).status).toBe(401);
    expect((await stranger.request('GET', `/api/media/${mediaId}/subtitles`)).status).toBe(404);
    expect((await stranger.request('POST', `/api/media/${mediaId}/subtitles`, subtitleForm(SRT))).status).toBe(404);
  });

  it('is listed, can be suggested by the host, and deleted (then the master has no subtitles again)', async () => {
    const list = await owner.json<SubtitlesView>('GET', `/api/media/${mediaId}/subtitles`);
    expect(list).toEqual({ mediaId, tracks: [track], suggestedId: null });

    const suggested = await owner.json<SubtitlesView>('PUT', `/api/media/${mediaId}/subtitles/suggestion`, { subtitleId: track.id });
    expect(suggested.suggestedId).toBe(track.id);
    expect((await owner.json<SubtitlesView>('GET', `/api/media/${mediaId}/subtitles`)).suggestedId).toBe(track.id);

    expect((await owner.request('DELETE', `/api/media/${mediaId}/subtitles/${track.id}`)).status).toBe(204);
    const after = await owner.json<SubtitlesView>('GET', `/api/media/${mediaId}/subtitles`);
    expect(after).toEqual({ mediaId, tracks: [], suggestedId: null });
    expect((await text(`/media/${mediaId}/master.m3u8`)).body).not.toContain('SUBTITLES');
    expect((await text(`/media/${mediaId}/subtitles/${track.id}.vtt`)).status).toBe(404);
    expect((await text(`/media/${mediaId}/subtitles/${track.id}.m3u8`)).status).toBe(404);
    expect((await owner.request('DELETE', `/api/media/${mediaId}/subtitles/${track.id}`)).status).toBe(404);
  });

  it('converts a legacy-encoded (Windows-1252) SRT to UTF-8', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('1\n00:00:00,500 --> 00:00:01,000\nCaf'), 0xe9, 0x0a]);
    const res = await uploadSubtitle(mediaId, subtitleForm(bytes, 'Français', 'fr'));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as SubtitleView;
    expect((await text(`/media/${mediaId}/subtitles/${id}.vtt`)).body).toContain('Café');
  });
});

describe('hostile subtitle files', () => {
  it('are refused with a sentence that says what is wrong', async () => {
    const many = Array.from({ length: 20_001 }, (_, i) => `${i + 1}\n00:00:01,000 --> 00:00:01,100\nx`).join('\n\n');
    const cases: Array<[FormData, number, RegExp]> = [
      [subtitleForm(many), 400, /more than 20,000 subtitles/],
      [subtitleForm(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 1, 2, 3])), 400, /binary data/],
      [subtitleForm('<html><body>not subtitles</body></html>'), 400, /no timing line/],
      [subtitleForm(SRT, 'English', 'en"; DEFAULT=YES'), 400, /language tag/],
      [subtitleForm(SRT, ''), 400, /label/],
      [subtitleForm(new Uint8Array(2 * 1024 * 1024 + 1).fill(0x41)), 413, /larger than the server accepts/],
    ];
    for (const [form, status, message] of cases) {
      const res = await uploadSubtitle(mediaId, form);
      expect(res.status, String(message)).toBe(status);
      expect((await errorOf(res)).message).toMatch(message);
    }
    const noFile = new FormData();
    noFile.append('label', 'English');
    noFile.append('language', 'en');
    const res = await uploadSubtitle(mediaId, noFile);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/Choose a subtitle file/);
  });
});

describe('an MKV with an embedded subtitle track', () => {
  it('exposes the track after the transcode, as WebVTT in the master', async () => {
    const list = await owner.json<SubtitlesView>('GET', `/api/media/${mkvMediaId}/subtitles`);
    expect(list.tracks).toEqual([expect.objectContaining({ origin: 'embedded', language: 'en', label: 'English', cueCount: 1 })]);
    const [track] = list.tracks;
    const master = await text(`/media/${mkvMediaId}/master.m3u8`);
    expect(master.body).toContain(`TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en"`);
    expect(master.body).toContain(`URI="subtitles/${track.id}.m3u8"`);
    const vtt = await text(`/media/${mkvMediaId}/subtitles/${track.id}.vtt`);
    expect(vtt.status).toBe(200);
    // ffmpeg moves every stream by the file's start time (-0.021 s here: the AAC priming), the same shift
    // the transcode applies to the video, so the cue lands a few milliseconds after 0.5 s.
    expect(vtt.body).toMatch(/\n00:00:00\.5\d\d --> 00:00:02\.0\d\d\nEmbedded track speaking\n/);
  });
});
