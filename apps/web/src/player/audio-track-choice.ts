/**
 * The person's own audio track (issue 12), kept in this browser per person and per media: pure helpers,
 * so the hook (use-audio-track-choice.ts) stays a thin shell over hls.js and localStorage.
 */

/** One audio rendition as the menu shows it: hls.js's index in `audioTracks`, its NAME and LANGUAGE. */
export interface AudioTrackOption {
  index: number;
  name: string;
  lang?: string;
}

/** What is stored: the track's NAME and LANGUAGE, which stay the same across reloads and re-encodes. */
export interface StoredAudioChoice {
  name: string;
  lang?: string;
}

const PREFIX = 'reelroom.audio-track';

/** Per person and per media (the stream's path, without its query): another person on this browser keeps theirs. */
export function audioChoiceKey(personId: string, src: string): string {
  const path = src.split(/[?#]/)[0] ?? src;
  return `${PREFIX}:${personId}:${path}`;
}

/** The stored choice, or null when none (or something unreadable, which is ignored rather than trusted). */
export function readAudioChoice(storage: Pick<Storage, 'getItem'> | null, key: string): StoredAudioChoice | null {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { name, lang } = value as Record<string, unknown>;
    if (typeof name !== 'string' || name.length === 0 || name.length > 200) return null;
    return typeof lang === 'string' && lang.length <= 35 ? { name, lang } : { name };
  } catch {
    return null;
  }
}

/** Best effort: private windows and full quotas throw, and the choice then lasts as long as the page. */
export function writeAudioChoice(storage: Pick<Storage, 'setItem'> | null, key: string, track: AudioTrackOption): void {
  try {
    storage?.setItem(key, JSON.stringify(track.lang ? { name: track.name, lang: track.lang } : { name: track.name }));
  } catch {
    // Not remembered; the track still plays.
  }
}

/** The track a stored choice means: same NAME and LANGUAGE, else the same NAME; -1 when it is gone. */
export function matchAudioChoice(tracks: readonly AudioTrackOption[], choice: StoredAudioChoice | null): number {
  if (!choice) return -1;
  const exact = tracks.find((t) => t.name === choice.name && (t.lang ?? '') === (choice.lang ?? ''));
  return (exact ?? tracks.find((t) => t.name === choice.name))?.index ?? -1;
}

/** localStorage, or null where the browser refuses it (storage disabled throws on access). */
export function browserStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}
