import { useCallback, useEffect, useState } from 'react';
import Hls from 'hls.js';
import { useAuth } from '../features/auth/auth-context';
import {
  audioChoiceKey,
  browserStorage,
  matchAudioChoice,
  readAudioChoice,
  writeAudioChoice,
  type AudioTrackOption,
} from './audio-track-choice';

/**
 * Which audio track this person hears (issue 12): the audio renditions hls.js found in the master, the
 * source's default until the person picks one, and their pick from then on, remembered in this browser
 * for this person and this media. It only sets this page's hls.audioTrack: nothing is sent to the room,
 * so everyone else keeps their own track.
 */
/** Switches hls.js (handed over by the player library) to audio rendition `index`. */
function selectAudioTrack(hls: Hls, index: number): void {
  if (hls.audioTrack !== index) hls.audioTrack = index;
}

export function useAudioTrackChoice(hls: Hls | null, src: string) {
  const { state } = useAuth();
  const personId = state.status === 'signed-in' ? state.user.id : null;
  const key = personId ? audioChoiceKey(personId, src) : null;
  const [tracks, setTracks] = useState<AudioTrackOption[]>([]);
  const [activeIndex, setActiveIndex] = useState(-1);

  useEffect(() => {
    if (!hls) return;
    const updated = () => {
      const list = hls.audioTracks.map((t, index) => ({ index, name: t.name, lang: t.lang }));
      setTracks(list);
      // Set inside the event: hls.js then keeps it instead of selecting the default (audio-track-controller).
      const stored = key ? matchAudioChoice(list, readAudioChoice(browserStorage(), key)) : -1;
      if (stored >= 0) selectAudioTrack(hls, stored);
      setActiveIndex(hls.audioTrack);
    };
    const switched = (_e: unknown, data: { id: number }) => setActiveIndex(data.id);
    hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, updated);
    hls.on(Hls.Events.AUDIO_TRACK_SWITCHING, switched);
    hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, switched);
    // Subscribed after hls.js listed the tracks (the person signed in as a guest meanwhile): read them now.
    if (hls.audioTracks.length > 0) updated();
    return () => {
      hls.off(Hls.Events.AUDIO_TRACKS_UPDATED, updated);
      hls.off(Hls.Events.AUDIO_TRACK_SWITCHING, switched);
      hls.off(Hls.Events.AUDIO_TRACK_SWITCHED, switched);
      setTracks([]);
      setActiveIndex(-1);
    };
  }, [hls, src, key]);

  const choose = useCallback(
    (index: number) => {
      const track = tracks[index];
      if (!hls || !track) return;
      selectAudioTrack(hls, index);
      setActiveIndex(index);
      if (key) writeAudioChoice(browserStorage(), key, track);
    },
    [hls, tracks, key],
  );

  return { tracks, activeIndex, choose };
}
