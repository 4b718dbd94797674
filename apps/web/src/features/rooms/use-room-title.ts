import { useEffect } from 'react';

/** The browser tab shows the room's name while the room is open. */
export function useRoomTitle(name: string): void {
  useEffect(() => {
    document.title = `${name} · Reelroom`;
    return () => {
      document.title = 'Reelroom';
    };
  }, [name]);
}
