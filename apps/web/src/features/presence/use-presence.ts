import { useEffect, useState } from 'react';
import type { Member } from '@reelroom/contracts';
import { request, subscribeToRoom } from '../../socket/room-socket';
import { PresenceSync } from './presence-sync';

/** Who is in the room: the snapshot's list on every (re)join, then the versioned `presence:delta` changes. */
export function usePresence(roomId: string): Member[] {
  const [members, setMembers] = useState<Member[]>([]);
  useEffect(() => {
    const sync = new PresenceSync(async () => {
      const r = await request('presence:get', {});
      return r.ok ? r.data : null;
    }, setMembers);
    const unsubscribe = subscribeToRoom(roomId, {
      onSnapshot: (s) => sync.snapshot(s.presenceVersion, s.members),
      onPresenceDelta: (d) => sync.delta(d),
    });
    return () => {
      sync.close();
      unsubscribe();
    };
  }, [roomId]);
  return members;
}
