import { useEffect, useId, useRef, useState } from 'react';

/**
 * A curated set, bundled (no network, no library): the faces and signs a watch party uses. Each has a
 * name for screen readers (the button's label).
 */
export const EMOJI: ReadonlyArray<readonly [emoji: string, name: string]> = [
  ['😀', 'grinning face'],
  ['😂', 'face with tears of joy'],
  ['🤣', 'rolling on the floor laughing'],
  ['😊', 'smiling face'],
  ['😍', 'heart eyes'],
  ['😎', 'sunglasses'],
  ['🤔', 'thinking face'],
  ['😮', 'open mouth'],
  ['😱', 'screaming in fear'],
  ['😢', 'crying face'],
  ['😭', 'loudly crying'],
  ['😡', 'angry face'],
  ['😴', 'sleeping face'],
  ['🥱', 'yawning face'],
  ['🤯', 'exploding head'],
  ['🥳', 'party face'],
  ['👍', 'thumbs up'],
  ['👎', 'thumbs down'],
  ['👏', 'clapping hands'],
  ['🙌', 'raising hands'],
  ['🙏', 'folded hands'],
  ['👋', 'waving hand'],
  ['💪', 'flexed biceps'],
  ['👀', 'eyes'],
  ['❤️', 'red heart'],
  ['💔', 'broken heart'],
  ['🔥', 'fire'],
  ['✨', 'sparkles'],
  ['🎉', 'party popper'],
  ['🍿', 'popcorn'],
  ['🎬', 'clapper board'],
  ['📺', 'television'],
  ['🎵', 'musical note'],
  ['⏸️', 'pause'],
  ['▶️', 'play'],
  ['⏩', 'fast forward'],
  ['✅', 'check mark'],
  ['❌', 'cross mark'],
  ['❓', 'question mark'],
  ['💯', 'hundred points'],
];

interface Props {
  /** Inserts the emoji where the caret is in the message box. */
  onPick: (emoji: string) => void;
  disabled?: boolean;
}

/**
 * An "Emoji" button that opens a grid of emoji buttons: arrow keys move between them, Enter picks,
 * Escape closes and gives focus back to the button.
 */
export function EmojiPicker({ onPick, disabled }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const grid = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (open) grid.current?.querySelector('button')?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(grid.current?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const cols = 8;
    const move: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key in move && at >= 0) {
      e.preventDefault();
      buttons[Math.min(buttons.length - 1, Math.max(0, at + move[e.key]))]?.focus();
    }
  };

  return (
    <span className="emoji-picker">
      <button
        ref={toggle}
        type="button"
        className="link small"
        aria-expanded={open}
        aria-controls={`${id}-grid`}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">😊</span> Emoji
      </button>
      {open && (
        <div ref={grid} id={`${id}-grid`} className="emoji-grid" role="group" aria-label="Emoji" onKeyDown={onKeyDown}>
          {EMOJI.map(([emoji, name]) => (
            <button
              key={emoji}
              type="button"
              aria-label={name}
              title={name}
              onClick={() => {
                onPick(emoji);
                setOpen(false);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
