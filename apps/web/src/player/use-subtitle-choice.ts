import { useEffect, useState } from 'react';
import Hls from 'hls.js';

export interface SubtitleTrackOption {
  /** hls.js's index in subtitleTracks. */
  index: number;
  /** Our subtitle id (from the rendition's URI, `subtitles/<id>.m3u8`); null for a track we did not name. */
  id: string | null;
  name: string;
  lang: string | undefined;
}

const ID_IN_URI = /subtitles\/([0-9a-f-]{36})\.m3u8/;

/**
 * Which subtitle track this person sees (issue 12): the renditions hls.js found in the master, the
 * room's suggestion when the person has not chosen, and their own choice (Off included) from then on,
 * for as long as they watch this media. hls.js shows the chosen track through the video's text tracks
 * (subtitleTrack + subtitleDisplay), so the browser draws the cues.
 */
export function useSubtitleChoice(hls: Hls | null, src: string, suggestedId: string | null) {
  const [tracks, setTracks] = useState<SubtitleTrackOption[]>([]);
  // undefined: not chosen yet, the room's suggestion applies; null: this person chose Off.
  const [choice, setChoice] = useState<string | null | undefined>(undefined);

  useEffect(() => {
    if (!hls) return;
    const update = () =>
      setTracks(hls.subtitleTracks.map((t, index) => ({ index, id: ID_IN_URI.exec(t.url)?.[1] ?? null, name: t.name, lang: t.lang })));
    hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, update);
    // The player library may hand hls.js over after the manifest was read.
    if (hls.subtitleTracks.length > 0) update();
    return () => {
      hls.off(Hls.Events.SUBTITLE_TRACKS_UPDATED, update);
      setTracks([]);
    };
  }, [hls, src]);

  const activeId = choice !== undefined ? choice : suggestedId;
  useEffect(() => {
    if (!hls || tracks.length === 0) return;
    const index = activeId === null ? -1 : tracks.findIndex((t) => t.id === activeId);
    showSubtitleTrack(hls, index);
  }, [hls, tracks, activeId]);

  return { tracks, activeId: tracks.some((t) => t.id === activeId) ? activeId : null, suggestedId, choose: setChoice };
}

/** hls.js draws the chosen track through the video's text tracks; -1 turns subtitles off. */
function showSubtitleTrack(hls: Hls, index: number): void {
  hls.subtitleDisplay = index >= 0;
  hls.subtitleTrack = index;
}
