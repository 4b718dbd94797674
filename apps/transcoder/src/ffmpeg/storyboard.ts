import { isAbsolute } from 'node:path';
import { hardenedInput } from './hardened-input.js';

/** Storyboard tile width in pixels (players show ~160 px previews). */
export const STORYBOARD_TILE_WIDTH = 160;
export const STORYBOARD_MAX_TILES = 100;
export const STORYBOARD_MAX_COLUMNS = 10;
/** Tiles are cut from keyframes of the lowest rung, which has one every 2 s: a finer interval only repeats tiles. */
export const STORYBOARD_MIN_INTERVAL_SEC = 2;
/** The storyboard reads the lowest rung: the hls demuxer, and mov for its fMP4 segments. */
export const STORYBOARD_INPUT_FORMATS = 'hls,mov';

export interface StoryboardLayout {
  /** Seconds between tiles. */
  intervalSec: number;
  tiles: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** Sprite size: columns*tileWidth x rows*tileHeight. */
  width: number;
  height: number;
}

/**
 * A tile every N whole seconds, N chosen so there are at most 100 tiles; at most 10 columns; tile height
 * from the picture's aspect ratio, even.
 */
export function storyboardLayout(durationSec: number, videoWidth: number, videoHeight: number): StoryboardLayout {
  if (!(durationSec > 0) || !(videoWidth > 0) || !(videoHeight > 0))
    throw new Error('storyboardLayout needs a duration and a picture size');
  const intervalSec = Math.max(STORYBOARD_MIN_INTERVAL_SEC, Math.ceil(durationSec / STORYBOARD_MAX_TILES));
  const tiles = Math.max(1, Math.min(STORYBOARD_MAX_TILES, Math.ceil(durationSec / intervalSec)));
  const columns = Math.min(STORYBOARD_MAX_COLUMNS, tiles);
  const rows = Math.ceil(tiles / columns);
  const tileWidth = STORYBOARD_TILE_WIDTH;
  const tileHeight = Math.max(2, 2 * Math.round((tileWidth * videoHeight) / videoWidth / 2));
  return { intervalSec, tiles, columns, rows, tileWidth, tileHeight, width: columns * tileWidth, height: rows * tileHeight };
}

export interface StoryboardCommandInput {
  /** Absolute path of the lowest rung's (VOD) media playlist: our own output, not the upload. */
  playlistPath: string;
  layout: StoryboardLayout;
  outPath: string;
}

/**
 * One sprite from the lowest rendition: decode keyframes only (`-skip_frame nokey`; our rungs have one
 * every 2 s), `fps=1/N` keeps one frame per interval (the last one too), `scale` to the tile size, `tile` lays them out
 * (the last sprite is flushed with blank cells at the end of input).
 */
export function buildStoryboardCommand({ playlistPath, layout, outPath }: StoryboardCommandInput): string[] {
  if (!isAbsolute(playlistPath) || !isAbsolute(outPath)) throw new Error('buildStoryboardCommand needs absolute paths');
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    // Our own output, still opened the hardened way: only the hls demuxer and the mov (fMP4) demuxer it
    // nests for the segments may run.
    ...hardenedInput({ path: playlistPath, demuxer: 'hls', formats: STORYBOARD_INPUT_FORMATS, keyframesOnly: true }),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    // eof_action=pass: at the end of input the fps filter emits the pending frame instead of rounding it
    // away. Without it the last tile is always missing (measured on ffmpeg 5.1: 20 frames for a 41 s rung
    // that needs 21, 2 for 5 s) and a clip of 2 s or less gets no storyboard at all.
    `fps=1/${layout.intervalSec}:eof_action=pass,scale=w=${layout.tileWidth}:h=${layout.tileHeight},format=yuvj420p,` +
      `tile=${layout.columns}x${layout.rows}`,
    '-frames:v',
    '1',
    '-q:v',
    '4',
    '-c:v',
    'mjpeg',
    '-f',
    'image2',
    '-update',
    '1',
    outPath,
  ];
}

/** "00:01:05.000" (WebVTT timestamps always carry hours here: simpler, and valid). */
export function vttTimestamp(sec: number): string {
  const ms = Math.round(Math.max(0, sec) * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * WebVTT index of the sprite: cue i covers [i*N, min((i+1)*N, duration)) and points at its tile with a
 * media fragment `sprite#xywh=x,y,w,h` (the Mux/JW Player thumbnail-track convention).
 */
export function buildStoryboardVtt(layout: StoryboardLayout, durationSec: number, spriteUri: string): string {
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < layout.tiles; i++) {
    const start = i * layout.intervalSec;
    if (start >= durationSec) break;
    const end = Math.min((i + 1) * layout.intervalSec, durationSec);
    const x = (i % layout.columns) * layout.tileWidth;
    const y = Math.floor(i / layout.columns) * layout.tileHeight;
    lines.push(
      `${vttTimestamp(start)} --> ${vttTimestamp(end)}`,
      `${spriteUri}#xywh=${x},${y},${layout.tileWidth},${layout.tileHeight}`,
      '',
    );
  }
  return lines.join('\n');
}
