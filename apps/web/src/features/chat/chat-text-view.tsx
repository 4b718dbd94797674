import { chatPieces } from './chat-text';

interface Props {
  body: string;
  /** Names of people in the room: "@Name" of one of them is shown as a mention. */
  names: readonly string[];
  myName: string | null;
}

/**
 * A message's text with its links and mentions, as React elements: the text is never parsed as HTML.
 * Links open in a new tab without giving it this page (noopener) or the room's address (noreferrer), and
 * the server fetches nothing for them (no previews: a preview would make the server visit any address).
 */
export function ChatText({ body, names, myName }: Props) {
  return (
    <>
      {chatPieces(body, names, myName).map((p, i) => {
        if (p.kind === 'link') {
          return (
            <a key={i} href={p.href} target="_blank" rel="noopener noreferrer nofollow ugc" className="chat-link">
              {p.text}
            </a>
          );
        }
        if (p.kind === 'mention') {
          return (
            <span key={i} className={`mention${p.me ? ' me' : ''}`} data-testid="mention">
              {p.text}
            </span>
          );
        }
        return <span key={i}>{p.text}</span>;
      })}
    </>
  );
}
