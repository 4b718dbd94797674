import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessage, Member } from '@reelroom/contracts';
import { CHAT_EDIT_WINDOW_MS, CHAT_MAX_LENGTH, excerpt, mentions, REACTIONS, typingLine } from './chat-store';
import { applyMention, mentionCandidates, mentionQuery, type MentionQuery } from './chat-text';
import { ChatText } from './chat-text-view';
import { EmojiPicker } from './emoji-picker';
import type { RoomChat } from './use-room-chat';

interface Props {
  chat: RoomChat;
  me: { userId: string; name: string } | null;
  canModerate: boolean;
  mutedUntil: string | null;
  members: Member[];
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function ChatPanel({ chat, me, canModerate, mutedUntil, members }: Props) {
  const ids = useId();
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [notice, setNotice] = useState<{ kind: 'slow' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const stick = useRef(true);
  // Mention autocomplete: the "@..." being typed, and which suggestion is highlighted.
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);

  const muted = mutedUntil !== null && Date.parse(mutedUntil) > now;
  // Re-check the mute when it runs out, so the input comes back by itself.
  useEffect(() => {
    if (!mutedUntil) return;
    const left = Date.parse(mutedUntil) - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(left + 50, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [mutedUntil]);

  // Keep the newest message in view unless the reader scrolled up.
  useEffect(() => {
    const el = logRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [chat.messages]);

  const names = new Map<string, string>(members.map((m) => [m.userId, m.name]));
  for (const m of chat.messages) if (m.author) names.set(m.author.id, m.author.name);
  // Mentions are of people in the room now (suggested and highlighted alike).
  const present = members.map((m) => m.name);
  const suggestions = mention ? mentionCandidates(mention.query, present, me?.name ?? null) : [];
  const listOpen = suggestions.length > 0;

  /** Puts text into the box and the caret where it belongs (after a mention or an emoji). */
  const setTextAndCaret = (next: string, caret: number) => {
    setText(next);
    setMention(null);
    requestAnimationFrame(() => {
      const el = inputRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  };

  const pickMention = (name: string) => {
    const el = inputRef.current;
    if (!mention || !el) return;
    const next = applyMention(text, mention, el.selectionStart, name);
    setTextAndCaret(next.text, next.caret);
  };

  const insertEmoji = (emoji: string) => {
    const el = inputRef.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setTextAndCaret(text.slice(0, start) + emoji + text.slice(end), start + emoji.length);
  };

  const trackMention = (value: string, caret: number) => {
    const q = mentionQuery(value, caret);
    setMention(q);
    setActive(0);
  };

  const submit = async () => {
    const body = text.trim();
    if (!body || busy || muted) return;
    if (body.length > CHAT_MAX_LENGTH) {
      setNotice({ kind: 'error', text: `Messages can be at most ${CHAT_MAX_LENGTH} characters.` });
      return;
    }
    setBusy(true);
    const reply = await chat.send(body, replyTo?.id);
    setBusy(false);
    if (reply.ok) {
      setText('');
      setReplyTo(null);
      setNotice(null);
      stick.current = true;
    } else if (reply.retryAfterMs !== undefined) {
      // Nothing a user sent is silently dropped: the text stays in the box to send again.
      setNotice({
        kind: 'slow',
        text: `You are sending messages too fast. Slow down. (try again in ${Math.max(1, Math.ceil(reply.retryAfterMs / 1000))} s)`,
      });
    } else {
      setNotice({ kind: 'error', text: reply.error });
    }
    inputRef.current?.focus();
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (listOpen) {
      // The suggestions take the arrow keys, Enter/Tab (pick) and Escape (close) while open.
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((a) => (a + step + suggestions.length) % suggestions.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.nativeEvent.isComposing) {
        e.preventDefault();
        pickMention(suggestions[Math.min(active, suggestions.length - 1)]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMention(null);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && replyTo) {
      setReplyTo(null);
    }
  };

  const typing = typingLine(chat.typists, me?.userId ?? null);

  return (
    <section className="chat" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Chat</h2>
      {/* The log is a div around the list: role="log" on the <ol> itself would take away its list role. */}
      <div
        className="chat-log"
        ref={logRef}
        role="log"
        aria-label="Messages"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <ol className="chat-list">
          {chat.messages.length === 0 && <li className="muted small">No messages yet. Say hello.</li>}
          {chat.messages.map((m) => (
            <Message
              key={m.id}
              message={m}
              me={me}
              names={names}
              present={present}
              canDelete={(canModerate || (me !== null && m.author?.id === me.userId)) && m.kind === 'user' && !m.deleted}
              onEdit={(body) => chat.edit(m, body)}
              onReply={() => {
                setReplyTo(m);
                inputRef.current?.focus();
              }}
              onReact={(emoji) => void chat.react(m, emoji)}
              onDelete={() => void chat.remove(m).then((r) => !r.ok && setNotice({ kind: 'error', text: r.error }))}
            />
          ))}
        </ol>
      </div>
      <p className="chat-typing small muted" aria-live="polite">
        {typing ?? '\u00a0'}
      </p>
      {notice && (
        <p className={notice.kind === 'slow' ? 'chat-notice slow' : 'chat-notice error'} role="alert">
          {notice.text}
        </p>
      )}
      {muted ? (
        <p className="chat-notice muted-notice" role="status">
          A moderator muted you until {time(mutedUntil)}. You can read the chat, and send messages again after that.
        </p>
      ) : !me ? null : (
        <form className="chat-form" onSubmit={onSubmit}>
          {replyTo && (
            <div className="chat-replying" data-testid="reply-preview">
              <span className="small">
                Replying to <strong>{replyTo.author?.name ?? 'system'}</strong>: “{excerpt(replyTo.body)}”
              </span>
              <button type="button" className="link small" onClick={() => setReplyTo(null)}>
                Cancel reply
              </button>
            </div>
          )}
          <label htmlFor={`${ids}-input`} className="sr-only">
            Message
          </label>
          <div className="chat-input-wrap">
            {listOpen && (
              <ul id={`${ids}-mentions`} className="mention-list" role="listbox" aria-label="People to mention">
                {suggestions.map((name, i) => (
                  <li
                    key={name}
                    id={`${ids}-mention-${i}`}
                    role="option"
                    aria-selected={i === active}
                    className={i === active ? 'active' : undefined}
                    // mousedown, not click: the box keeps its focus and caret.
                    onMouseDown={(e) => {
                      e.preventDefault();
                      pickMention(name);
                    }}
                  >
                    @{name}
                  </li>
                ))}
              </ul>
            )}
            <textarea
              id={`${ids}-input`}
              ref={inputRef}
              rows={2}
              value={text}
              maxLength={CHAT_MAX_LENGTH}
              placeholder="Message the room (Enter to send, Shift+Enter for a new line)"
              aria-describedby={`${ids}-count`}
              aria-autocomplete="list"
              aria-controls={listOpen ? `${ids}-mentions` : undefined}
              aria-activedescendant={listOpen ? `${ids}-mention-${Math.min(active, suggestions.length - 1)}` : undefined}
              onChange={(e) => {
                setText(e.target.value);
                trackMention(e.target.value, e.target.selectionStart);
                if (e.target.value) chat.keystroke();
                else chat.stopTyping();
              }}
              onSelect={(e) => {
                const el = e.currentTarget;
                const q = mentionQuery(el.value, el.selectionStart);
                if (q?.start !== mention?.start || q?.query !== mention?.query) trackMention(el.value, el.selectionStart);
              }}
              onKeyDown={onKeyDown}
              onBlur={() => {
                chat.stopTyping();
                setMention(null);
              }}
            />
          </div>
          <div className="row chat-form-foot">
            <EmojiPicker onPick={insertEmoji} disabled={busy} />
            <span
              id={`${ids}-count`}
              className={`small ${text.length > CHAT_MAX_LENGTH - 50 ? 'warn' : 'muted'}`}
              data-testid="chat-counter"
            >
              {text.length}/{CHAT_MAX_LENGTH}
            </span>
            <button type="submit" className="primary" disabled={busy || !text.trim()}>
              Send
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

interface MessageProps {
  message: ChatMessage;
  me: { userId: string; name: string } | null;
  names: Map<string, string>;
  /** Names of the people in the room now (their @mentions are highlighted). */
  present: string[];
  canDelete: boolean;
  onReply: () => void;
  onReact: (emoji: string) => void;
  onDelete: () => void;
  onEdit: (body: string) => Promise<{ ok: true } | { ok: false; error: string }>;
}

/** Whether the author may still edit (the server decides; this only hides a button that would be refused). */
const editable = (m: ChatMessage, now: number) => now - Date.parse(m.createdAt) < CHAT_EDIT_WINDOW_MS;

function Message({ message: m, me, names, present, canDelete, onReply, onReact, onDelete, onEdit }: MessageProps) {
  const [picking, setPicking] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const editId = useId();
  // The Edit button shows while the server would accept an edit, and goes when the window closes.
  const [editWindowOpen, setEditWindowOpen] = useState(() => editable(m, Date.now()));
  useEffect(() => {
    if (!editWindowOpen) return;
    const left = Date.parse(m.createdAt) + CHAT_EDIT_WINDOW_MS - Date.now();
    const timer = setTimeout(() => setEditWindowOpen(false), Math.max(0, left));
    return () => clearTimeout(timer);
  }, [editWindowOpen, m.createdAt]);
  if (m.kind === 'system') {
    return (
      <li className="chat-system" data-testid="chat-message" data-kind="system">
        <span>{m.body}</span> <time dateTime={m.createdAt}>{time(m.createdAt)}</time>
      </li>
    );
  }
  const mine = m.author?.id === me?.userId;
  const mentioned = !mine && !m.deleted && me !== null && mentions(m.body, me.name);
  const reactions = Object.entries(m.reactions).filter(([, users]) => users.length > 0);
  // Screen readers hear which message a button acts on (the visible word comes first: label in name).
  const which = `${m.author?.name ?? 'Someone'}: “${excerpt(m.body)}”`;
  const save = async () => {
    if (editing === null || !editing.trim()) return;
    const reply = await onEdit(editing);
    if (reply.ok) {
      setEditing(null);
      setEditError(null);
    } else setEditError(reply.error);
  };
  return (
    <li
      className={`chat-message${mine ? ' mine' : ''}${mentioned ? ' mentioned' : ''}`}
      data-testid="chat-message"
      data-kind="user"
      data-mentioned={mentioned ? 'true' : 'false'}
      data-message-id={m.id}
    >
      <div className="chat-meta">
        <strong>{m.author?.name ?? 'Someone'}</strong> <time dateTime={m.createdAt}>{time(m.createdAt)}</time>
      </div>
      {m.replyTo && (
        <blockquote className="chat-quote small" data-testid="chat-quote">
          <strong>{m.replyTo.authorName}</strong>: {m.replyTo.excerpt}
        </blockquote>
      )}
      {m.deleted ? (
        <p className="chat-body muted">Message deleted.</p>
      ) : editing !== null ? (
        <form
          className="chat-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label htmlFor={`${editId}-edit`} className="sr-only">
            Edit your message
          </label>
          <textarea
            id={`${editId}-edit`}
            rows={2}
            value={editing}
            maxLength={CHAT_MAX_LENGTH}
            autoFocus
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void save();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                setEditing(null);
                setEditError(null);
              }
            }}
          />
          {editError && (
            <p className="error small" role="alert">
              {editError}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary small" disabled={!editing.trim()}>
              Save
            </button>
            <button
              type="button"
              className="link small"
              onClick={() => {
                setEditing(null);
                setEditError(null);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <p className="chat-body">
          <ChatText body={m.body} names={present} myName={me?.name ?? null} />
          {m.editedAt && (
            <span className="chat-edited small muted" title={`Edited at ${time(m.editedAt)}`}>
              {' '}
              (edited)
            </span>
          )}
        </p>
      )}
      {!m.deleted && editing === null && (
        <div className="chat-actions">
          {reactions.map(([emoji, users]) => {
            const minePressed = me !== null && users.includes(me.userId);
            return (
              <button
                key={emoji}
                type="button"
                className={`reaction${minePressed ? ' on' : ''}`}
                aria-pressed={minePressed}
                title={`${emoji} by ${users.map((u) => names.get(u) ?? 'someone').join(', ')}`}
                onClick={() => onReact(emoji)}
                disabled={!me}
              >
                {emoji} {users.length}
              </button>
            );
          })}
          {me && (
            <>
              <button
                type="button"
                className="link small"
                aria-expanded={picking}
                aria-label={`React to ${which}`}
                onClick={() => setPicking((p) => !p)}
              >
                React
              </button>
              <button type="button" className="link small" aria-label={`Reply to ${which}`} onClick={onReply}>
                Reply
              </button>
            </>
          )}
          {mine && me !== null && editWindowOpen && (
            <button
              type="button"
              className="link small"
              aria-label={`Edit ${which}`}
              onClick={() => {
                setEditing(m.body);
                setEditError(null);
              }}
            >
              Edit
            </button>
          )}
          {canDelete && (
            <button type="button" className="link small danger" aria-label={`Delete ${which}`} onClick={onDelete}>
              Delete
            </button>
          )}
          {picking && (
            <span className="reaction-palette" role="group" aria-label="Reactions">
              {REACTIONS.map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  aria-label={`React with ${emoji}`}
                  onClick={() => {
                    setPicking(false);
                    onReact(emoji);
                  }}
                >
                  {emoji}
                </button>
              ))}
            </span>
          )}
        </div>
      )}
    </li>
  );
}
