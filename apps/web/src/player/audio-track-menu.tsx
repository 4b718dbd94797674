import { useId } from 'react';
import type { AudioTrackOption } from './audio-track-choice';

interface Props {
  tracks: AudioTrackOption[];
  activeIndex: number;
  onChoose: (index: number) => void;
}

/** The audio track picker (issue 12): shown only when the media has more than one track; the choice is this person's. */
export function AudioTrackMenu({ tracks, activeIndex, onChoose }: Props) {
  const id = useId();
  if (tracks.length < 2) return null;
  return (
    <div className="audio-track-menu">
      <label htmlFor={`${id}-audio`} className="sr-only">
        Audio track
      </label>
      <select
        id={`${id}-audio`}
        aria-label="Audio track"
        data-testid="audio-track-menu"
        value={activeIndex >= 0 ? String(activeIndex) : ''}
        onChange={(e) => onChoose(Number(e.currentTarget.value))}
      >
        {activeIndex < 0 && <option value="">Audio</option>}
        {tracks.map((t) => (
          <option key={t.index} value={String(t.index)}>
            {t.name}
          </option>
        ))}
      </select>
    </div>
  );
}
