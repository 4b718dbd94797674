import { useId } from 'react';
import { levelLabel, type QualityLevel } from './quality';

interface Props {
  levels: QualityLevel[];
  /** -1 = automatic (adaptive) selection. */
  selected: number;
  /** Level actually playing, from hls.js LEVEL_SWITCHED; null before the first switch. */
  playing: number | null;
  onSelect: (index: number) => void;
}

export function QualityMenu({ levels, selected, playing, onSelect }: Props) {
  const id = useId();
  // Highest first, the order people expect in a quality menu.
  const ordered = [...levels].sort((a, b) => b.height - a.height || b.bitrate - a.bitrate);
  const playingLevel = playing === null ? undefined : levels.find((l) => l.index === playing);

  return (
    <div className="quality">
      <label htmlFor={`${id}-quality`} className="sr-only">
        Quality
      </label>
      <select id={`${id}-quality`} aria-label="Quality" value={selected} onChange={(e) => onSelect(Number(e.currentTarget.value))}>
        <option value={-1}>Auto</option>
        {ordered.map((l) => (
          <option key={l.index} value={l.index}>
            {levelLabel(l)}
          </option>
        ))}
      </select>
      <span className="muted" data-testid="playing-level" data-level={playing ?? ''} aria-live="polite">
        {playingLevel ? `Playing ${levelLabel(playingLevel)}` : 'Choosing quality…'}
      </span>
    </div>
  );
}
