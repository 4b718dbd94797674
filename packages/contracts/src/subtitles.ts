import { z } from 'zod';
import { nameText } from './text.js';

/**
 * A BCP 47 language tag as people and players use them: a 2-3 letter language, then optional script,
 * region and variant subtags ("en", "pt-BR", "zh-Hant-TW", "sr-Latn", "es-419"). Private-use and
 * extension subtags are not accepted: no subtitle needs them, and the tag is written into playlists.
 */
export const languageTagSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$/, {
    message: 'must be a language tag such as "en", "fr" or "pt-BR"',
  })
  .max(35);

/** The form fields sent with a subtitle file (multipart: `file`, `label`, `language`). */
export const subtitleUploadFieldsSchema = z.object({
  /** What the track is called in the player's menu ("English", "Français (SDH)"). */
  label: nameText(60),
  language: languageTagSchema,
});
export type SubtitleUploadFields = z.infer<typeof subtitleUploadFieldsSchema>;

/** PUT /api/media/:mediaId/subtitles/suggestion: the track the room suggests, or null for none. */
export const subtitleSuggestionBodySchema = z.object({ subtitleId: z.uuid().nullable() });
export type SubtitleSuggestionBody = z.infer<typeof subtitleSuggestionBodySchema>;

export const subtitleIdSchema = z.uuid();

/** Tracks one media may have, uploaded and embedded together. */
export const SUBTITLE_MAX_TRACKS = 20;

export interface SubtitleView {
  id: string;
  mediaId: string;
  label: string;
  language: string;
  /** `upload`: a file a person added; `embedded`: a text track the transcoder found in the video file. */
  origin: 'upload' | 'embedded';
  cueCount: number;
  createdAt: string;
}

/** GET /api/media/:mediaId/subtitles, and the `media:subtitles` event. */
export interface SubtitlesView {
  mediaId: string;
  tracks: SubtitleView[];
  /** The track the room's host suggests; everyone may still pick their own (or none). */
  suggestedId: string | null;
}

/**
 * Subtitle files of a media, served next to its HLS under /media/<id>/subtitles/: `<subtitleId>.vtt`
 * (the WebVTT we wrote) and `<subtitleId>.m3u8` (its one-segment media playlist, made when asked).
 */
export const SUBTITLES_FOLDER = 'subtitles';
/** GROUP-ID of the subtitle renditions in the master playlist; every variant names it (SUBTITLES="subs"). */
export const SUBTITLE_GROUP_ID = 'subs';
