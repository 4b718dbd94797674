import { useEffect, useRef, useState } from 'react';
import Hls from 'hls.js';
import type { MediaPlayerInstance, TextTrack, TextTrackList } from '@vidstack/react';

export interface SubtitleTrackOption {
  /** hls.js's index in subtitleTracks. */
  index: number;
  /** Our subtitle id (from the rendition's URI, `subtitles/<id>.m3u8`); null for a track we did not name. */
  id: string | null;
  name: string;
  lang: string | undefined;
}

const ID_IN_URI = /subtitles\/([0-9a-f-]{36})\.m3u8/;
/** The id Vidstack gives the text track it makes for hls.js's subtitle rendition `index`. */
const playerTrackId = (index: number) => `hls-subtitles-${index}`;
const PLAYER_TRACK_ID = /^hls-subtitles-(\d+)$/;

/**
 * Which subtitle track this person sees (issue 12): the renditions hls.js found in the master, the
 * room's suggestion when the person has not chosen, and their own choice (Off included) from then on,
 * for as long as they watch this media. Vidstack draws the cues (its captions overlay, styled from the
 * player's caption settings): it makes one text track per hls.js rendition and switches hls.js when a
 * track shows, so the choice is made on the player's text tracks. A choice made in the player's own
 * captions menu or with C is this person's choice too, and the picker beside the player follows it.
 */
export function useSubtitleChoice(player: MediaPlayerInstance | null, hls: Hls | null, src: string, suggestedId: string | null) {
  const [tracks, setTracks] = useState<SubtitleTrackOption[]>([]);
  // undefined: not chosen yet, the room's suggestion applies; null: this person chose Off.
  const [choice, setChoice] = useState<string | null | undefined>(undefined);
  // Bumped when the player adds a text track (it makes them after hls.js reads the master).
  const [playerTracks, setPlayerTracks] = useState(0);

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
  const shown = useRef<string | null | undefined>(undefined);

  useEffect(() => {
    if (!player) return;
    const list = player.textTracks;
    const onAdd = () => setPlayerTracks((n) => n + 1);
    // The person switched in the player itself (its captions menu, C): that is their choice from now on.
    const onModeChange = () => {
      const now = showingSubtitleIndex(list);
      const id = now === null ? null : (tracks.find((t) => t.index === now)?.id ?? null);
      if (id !== shown.current) setChoice(id);
    };
    list.addEventListener('add', onAdd);
    list.addEventListener('mode-change', onModeChange);
    return () => {
      list.removeEventListener('add', onAdd);
      list.removeEventListener('mode-change', onModeChange);
    };
  }, [player, tracks]);

  useEffect(() => {
    if (!player || tracks.length === 0) return;
    const index = activeId === null ? -1 : (tracks.find((t) => t.id === activeId)?.index ?? -1);
    shown.current = index >= 0 ? activeId : null;
    showSubtitleTrack(player.textTracks, index);
  }, [player, tracks, activeId, playerTracks]);

  return { tracks, activeId: tracks.some((t) => t.id === activeId) ? activeId : null, suggestedId, choose: setChoice };
}

/** hls.js's index of the subtitle track the player shows, or null. */
function showingSubtitleIndex(list: TextTrackList): number | null {
  const showing = list.toArray().find((t) => t.mode === 'showing' && PLAYER_TRACK_ID.test(t.id));
  return showing ? Number(PLAYER_TRACK_ID.exec(showing.id)![1]) : null;
}

/** Shows the player's track for rendition `index` (Vidstack then switches hls.js to it); -1 turns subtitles off. */
function showSubtitleTrack(list: TextTrackList, index: number): void {
  const want = index >= 0 ? list.toArray().find((t: TextTrack) => t.id === playerTrackId(index)) : undefined;
  for (const t of list.toArray()) {
    if (t !== want && t.mode === 'showing' && PLAYER_TRACK_ID.test(t.id)) t.mode = 'disabled';
  }
  if (want && want.mode !== 'showing') want.mode = 'showing';
}
