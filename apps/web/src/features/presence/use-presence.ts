import { useEffect, useState } from 'react';
import type { Member } from '@reelroom/contracts';
import { subscribeToRoom } from '../../socket/room-socket';

/** Who is in the room: the snapshot's list on every (re)join, then `presence:update`. */
export function usePresence(roomId: string): Member[] {
  const [members, setMembers] = useState<Member[]>([]);
  useEffect(
    () =>
      subscribeToRoom(roomId, {
        onSnapshot: (s) => setMembers(s.members),
        onPresence: setMembers,
      }),
    [roomId],
  );
  return members;
}
