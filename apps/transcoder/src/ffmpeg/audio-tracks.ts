import type { AudioStreamInfo, MediaInfo } from './media-info.js';
import { trackLanguage } from './track-language.js';

/**
 * At most this many audio streams of a source become renditions (issue 12). Each one is a whole-file AAC
 * encode and 128 kb/s of output: a film with its original language, a dub or two and a commentary fits,
 * while a hostile file with dozens of tracks (media-limits.ts caps the streams at 16) cannot multiply the
 * encoding work. Extra tracks are left out, the source's default track always kept.
 */
export const MAX_AUDIO_TRACKS = 4;

/** Folder of the first audio rendition; later ones are `audio-2`, `audio-3`... (1-based positions). */
export const AUDIO_FOLDER = 'audio';

/** One audio stream of the source as an HLS rendition (`EXT-X-MEDIA:TYPE=AUDIO`). */
export interface AudioRendition {
  /** Folder under the output: `audio`, `audio-2`, ... */
  name: string;
  /** The source stream to map. */
  streamIndex: number;
  /** What players show (NAME): the title tag, else the language in that language ("Français"), else "Track <n>". */
  label: string;
  /** BCP 47 (LANGUAGE); "und" when the source does not say. */
  language: string;
  /** DEFAULT=YES / AUTOSELECT=YES: the source's default track, else the first. */
  isDefault: boolean;
}

/** The folder of the audio rendition at this 0-based position. */
export function audioFolder(position: number): string {
  return position === 0 ? AUDIO_FOLDER : `${AUDIO_FOLDER}-${position + 1}`;
}

/**
 * The source's audio streams that become renditions, in file order: the first MAX_AUDIO_TRACKS, with the
 * main track (info.audio: the default-disposition one) replacing the last if it came later.
 */
export function chooseAudioRenditions(info: Pick<MediaInfo, 'audio' | 'audioTracks'>, limit: number = MAX_AUDIO_TRACKS): AudioRendition[] {
  const all = info.audioTracks ?? (info.audio ? [info.audio] : []);
  const main = info.audio ?? all[0];
  if (!main) return [];
  let chosen = all.slice(0, limit);
  if (!chosen.some((a) => a.index === main.index)) chosen = [...chosen.slice(0, limit - 1), main];
  const used = new Set<string>();
  return chosen.map((stream, position) => {
    // A lone untagged track keeps the name it had before there could be several.
    const fallback = chosen.length === 1 ? 'Main' : undefined;
    const label = uniqueLabel(audioLabel(stream, position + 1, fallback), used);
    return {
      name: audioFolder(position),
      streamIndex: stream.index,
      label,
      language: trackLanguage(stream.language),
      isDefault: stream.index === main.index,
    };
  });
}

/** The player's menu entry: title tag, else the language's own name ("English", "Français"), else "Track <n>". */
export function audioLabel(stream: Pick<AudioStreamInfo, 'title' | 'language'>, position: number, fallback?: string): string {
  const title = (stream.title ?? '')
    // eslint-disable-next-line no-control-regex -- a title is written into the master playlist: no control characters or quotes
    .replace(/[\u0000-\u001f\u007f-\u009f"]/g, ' ')
    .trim()
    .slice(0, 60);
  if (title) return title;
  const language = trackLanguage(stream.language);
  if (language !== 'und') {
    try {
      const name = new Intl.DisplayNames([language], { type: 'language', fallback: 'none' }).of(language);
      if (name) return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
    } catch {
      // A tag Intl does not know: fall through to the numbered name.
    }
  }
  return fallback ?? `Track ${position}`;
}

/** RFC 8216 4.3.4.1.1: every rendition of a group needs its own NAME, so a repeated one gets " 2", " 3"... */
function uniqueLabel(label: string, used: Set<string>): string {
  let candidate = label;
  for (let n = 2; used.has(candidate); n++) candidate = `${label} ${n}`;
  used.add(candidate);
  return candidate;
}
