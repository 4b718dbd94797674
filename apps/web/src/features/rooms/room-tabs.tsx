import type { KeyboardEvent } from 'react';

export type RoomTab = 'chat' | 'videos' | 'people';

const TABS: { id: RoomTab; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'videos', label: 'Videos' },
  { id: 'people', label: 'People' },
];

/** The id of the panel a tab shows (the room page gives its panels these ids). */
export const roomPanelId = (tab: RoomTab) => `room-panel-${tab}`;

/**
 * Narrow screens show one of the room's panels under the player at a time. The bar is hidden by CSS on
 * wide screens, where every panel is visible; which panel shows is the `data-tab` of `.room`.
 */
export function RoomTabs({ tab, onChange }: { tab: RoomTab; onChange: (tab: RoomTab) => void }) {
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    onChange(next.id);
    e.currentTarget.querySelector<HTMLButtonElement>(`#room-tab-${next.id}`)?.focus();
  };
  return (
    <div className="room-tabs" role="tablist" aria-label="Room panels" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          id={`room-tab-${t.id}`}
          type="button"
          role="tab"
          aria-selected={t.id === tab}
          aria-controls={roomPanelId(t.id)}
          tabIndex={t.id === tab ? 0 : -1}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
