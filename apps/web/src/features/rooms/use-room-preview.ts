import { useEffect, useState } from 'react';
import type { RoomPreview } from '@reelroom/contracts';
import { api } from '../../api/client';

/**
 * The join page's look at the room (name, host, PIN or not, how many watch), or null while loading and
 * when the server gives the generic refusal (unknown id, closed room, a ban): then the page says nothing
 * more than the link proves.
 */
export function useRoomPreview(roomId: string): RoomPreview | null {
  const [preview, setPreview] = useState<{ roomId: string; value: RoomPreview } | null>(null);
  useEffect(() => {
    let cancelled = false;
    api.rooms.preview(roomId).then(
      (value) => !cancelled && setPreview({ roomId, value }),
      () => undefined, // refused or unreachable: the join form works without a preview
    );
    return () => {
      cancelled = true;
    };
  }, [roomId]);
  return preview?.roomId === roomId ? preview.value : null;
}
