import { useCallback, useEffect, useState } from 'react';
import type { RoomView, UpdateRoomBody } from '@reelroom/contracts';
import { api } from '../../api/client';
import { subscribeToRoom } from '../../socket/room-socket';

export type RoomEnd = { reason: 'closed' | 'kicked'; message: string } | null;

export interface RoomSettings {
  room: RoomView;
  /** My role and mute as the server last told me (snapshot, then `room:you`). */
  role: RoomView['myRole'];
  mutedUntil: string | null;
  /** Set when the host closed the room or removed me: the page shows that and nothing else. */
  ended: RoomEnd;
  update: (body: UpdateRoomBody) => Promise<void>;
  close: () => Promise<void>;
}

export const CLOSED_MESSAGE = 'This room was closed by the host';
export const KICKED_MESSAGE = 'You were removed from this room';

/** The room itself, kept live: name, PIN presence, options, my role, and whether it ended for me. */
export function useRoomSettings(initial: RoomView, myUserId: string | null): RoomSettings {
  const [room, setRoom] = useState(initial);
  const [role, setRole] = useState<RoomView['myRole']>(initial.myRole);
  const [mutedUntil, setMutedUntil] = useState<string | null>(null);
  const [ended, setEnded] = useState<RoomEnd>(initial.closedAt ? { reason: 'closed', message: CLOSED_MESSAGE } : null);

  useEffect(() => {
    if (initial.closedAt) return;
    return subscribeToRoom(initial.id, {
      onSnapshot: (s) => {
        setRoom(s.room);
        setRole(s.me.role);
        setMutedUntil(s.members.find((m) => m.userId === myUserId)?.mutedUntil ?? null);
        if (s.room.closedAt) setEnded({ reason: 'closed', message: CLOSED_MESSAGE });
      },
      onRoomUpdated: (r) => {
        // room:updated is broadcast to everyone: it carries the receiver's role only by accident.
        setRoom((prev) => ({ ...r, myRole: prev.myRole }));
        if (r.closedAt) setEnded({ reason: 'closed', message: CLOSED_MESSAGE });
      },
      onYou: (p) => {
        setRole(p.role);
        setMutedUntil(p.mutedUntil);
      },
      onPresenceDelta: ({ changes }) => {
        const me = changes.findLast((c) => c.kind === 'upsert' && c.member.userId === myUserId);
        if (me?.kind === 'upsert') {
          setRole(me.member.role);
          setMutedUntil(me.member.mutedUntil);
        }
      },
      onRoomClosed: (p) => setEnded({ reason: 'closed', message: p.message }),
      onRoomKicked: (p) => setEnded({ reason: 'kicked', message: p.message }),
    });
  }, [initial.id, initial.closedAt, myUserId]);

  const update = useCallback(
    async (body: UpdateRoomBody) => {
      const next = await api.rooms.update(initial.id, body);
      setRoom(next);
    },
    [initial.id],
  );

  const close = useCallback(async () => {
    await api.rooms.close(initial.id);
    setEnded({ reason: 'closed', message: CLOSED_MESSAGE });
  }, [initial.id]);

  return { room: { ...room, myRole: role }, role, mutedUntil, ended, update, close };
}
