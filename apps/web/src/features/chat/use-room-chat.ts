import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '@reelroom/contracts';
import { roomActions, subscribeToRoom, type SendResult } from '../../socket/room-socket';
import { applyTyping, expireTyping, mergeMessages, toggleReaction, TypingThrottle, type Typist } from './chat-store';

export interface RoomChat {
  messages: ChatMessage[];
  typists: Typist[];
  send: (body: string, replyToId?: string) => Promise<SendResult<ChatMessage>>;
  /** Toggles my reaction; shown at once, then the server's copy replaces it. */
  react: (message: ChatMessage, emoji: string) => Promise<SendResult<ChatMessage>>;
  remove: (message: ChatMessage) => Promise<SendResult<ChatMessage>>;
  /** My own message, within the edit window; the server's copy (with editedAt) replaces it. */
  edit: (message: ChatMessage, body: string) => Promise<SendResult<ChatMessage>>;
  /** Call on every keystroke in the input: sends throttled "typing" signals, and "stopped" after idling. */
  keystroke: () => void;
  stopTyping: () => void;
}

/** The room's chat: the snapshot's last messages on every (re)join, then live messages and updates. */
export function useRoomChat(roomId: string, myUserId: string | null): RoomChat {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [typists, setTypists] = useState<Typist[]>([]);
  const throttle = useRef(new TypingThrottle());
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () =>
      subscribeToRoom(roomId, {
        onSnapshot: (s) => setMessages((list) => mergeMessages(list, s.chat)),
        onChatMessage: (m) => {
          setMessages((list) => mergeMessages(list, [m]));
          // A message ends its author's typing.
          if (m.author) {
            const author = m.author;
            setTypists((list) => applyTyping(list, { userId: author.id, name: author.name, typing: false }, Date.now()));
          }
        },
        onChatUpdated: (m) => setMessages((list) => mergeMessages(list, [m])),
        onChatTyping: (p) => setTypists((list) => applyTyping(list, p, Date.now())),
      }),
    [roomId],
  );

  // Expire stale typing signals (a sender that closed the tab never says "stopped").
  useEffect(() => {
    if (typists.length === 0) return;
    const next = Math.min(...typists.map((t) => t.until)) - Date.now();
    const timer = setTimeout(() => setTypists((list) => expireTyping(list, Date.now())), Math.max(50, next + 10));
    return () => clearTimeout(timer);
  }, [typists]);

  const stopTyping = useCallback(() => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (throttle.current.stop()) roomActions.typing(false);
  }, []);

  const keystroke = useCallback(() => {
    if (throttle.current.keystroke(Date.now())) roomActions.typing(true);
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, throttle.current.idle);
  }, [stopTyping]);

  useEffect(() => stopTyping, [stopTyping]);

  const send = useCallback(
    async (body: string, replyToId?: string) => {
      stopTyping();
      const reply = await roomActions.sendChat(body, replyToId);
      if (reply.ok) setMessages((list) => mergeMessages(list, [reply.data]));
      return reply;
    },
    [stopTyping],
  );

  const react = useCallback(
    async (message: ChatMessage, emoji: string) => {
      if (!myUserId) return { ok: false as const, error: 'Sign in to react.' };
      const on = !(message.reactions[emoji] ?? []).includes(myUserId);
      setMessages((list) => list.map((m) => (m.id === message.id ? toggleReaction(m, emoji, myUserId) : m)));
      const reply = await roomActions.react(message.id, emoji, on);
      // Server copy wins either way: on refusal it puts the reaction back as it was.
      setMessages((list) => mergeMessages(list, [reply.ok ? reply.data : message]));
      return reply;
    },
    [myUserId],
  );

  const remove = useCallback(async (message: ChatMessage) => {
    const reply = await roomActions.deleteMessage(message.id);
    if (reply.ok) setMessages((list) => mergeMessages(list, [reply.data]));
    return reply;
  }, []);

  const edit = useCallback(async (message: ChatMessage, body: string) => {
    const reply = await roomActions.editMessage(message.id, body);
    if (reply.ok) setMessages((list) => mergeMessages(list, [reply.data]));
    return reply;
  }, []);

  return useMemo(
    () => ({ messages, typists, send, react, remove, edit, keystroke, stopTyping }),
    [messages, typists, send, react, remove, edit, keystroke, stopTyping],
  );
}
