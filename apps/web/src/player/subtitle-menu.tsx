import { useId } from 'react';
import type { SubtitleTrackOption } from './use-subtitle-choice';

interface Props {
  tracks: SubtitleTrackOption[];
  activeId: string | null;
  suggestedId: string | null;
  onChoose: (id: string | null) => void;
}

/** The subtitle picker: Off or one of the media's tracks; the room's suggestion is marked. */
export function SubtitleMenu({ tracks, activeId, suggestedId, onChoose }: Props) {
  const id = useId();
  if (tracks.length === 0) return null;
  return (
    <div className="subtitle-menu">
      <label htmlFor={`${id}-subs`} className="sr-only">
        Subtitles
      </label>
      <select id={`${id}-subs`} aria-label="Subtitles" value={activeId ?? ''} onChange={(e) => onChoose(e.currentTarget.value || null)}>
        <option value="">Subtitles off</option>
        {tracks.map((t) =>
          t.id ? (
            <option key={t.index} value={t.id}>
              {t.name}
              {t.id === suggestedId ? ' (suggested)' : ''}
            </option>
          ) : null,
        )}
      </select>
    </div>
  );
}
