/*
 * What a chat message's plain text turns into on screen (issue 12): links and mentions, found here and
 * rendered by ChatText as React elements (never as HTML). Pure, so it unit-tests without a DOM.
 */

export type ChatPiece =
  | { kind: 'text'; text: string }
  /** `href` is the parsed URL: http or https only. */
  | { kind: 'link'; text: string; href: string }
  /** `name` as the person spells it; `me`: it names the reader. */
  | { kind: 'mention'; text: string; name: string; me: boolean };

// A scheme, then anything up to whitespace or a character that cannot be in a bare URL in text.
const URL_CANDIDATE = /https?:\/\/[^\s<>"'`]+/giu;
const TRAILING = /[.,;:!?'"»”’]+$/u;

/** The link's address when it is a well-formed http(s) URL with a host, else null (shown as text). */
export function safeHref(candidate: string): string | null {
  if (!URL.canParse(candidate)) return null;
  const url = new URL(candidate);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
  return url.href;
}

/**
 * Trims what usually ends a sentence rather than a URL: trailing punctuation, and a closing bracket
 * that has no opening one inside the URL ("(see https://x.org/a)" keeps "https://x.org/a").
 */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ] as const) {
      if (url.endsWith(close) && url.split(open).length < url.split(close).length) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

/** Splits text into plain pieces and http(s) links. */
export function linkPieces(body: string): ChatPiece[] {
  const out: ChatPiece[] = [];
  let at = 0;
  for (const m of body.matchAll(URL_CANDIDATE)) {
    const start = m.index;
    // Only at the start or after a non-word character: "xhttp://..." is not a link.
    if (start > 0 && /[\p{L}\p{N}_]/u.test(body[start - 1])) continue;
    const text = trimUrl(m[0]);
    const href = safeHref(text);
    if (!href || text.length <= 'https://'.length) continue;
    if (start > at) out.push({ kind: 'text', text: body.slice(at, start) });
    out.push({ kind: 'link', text, href });
    at = start + text.length;
  }
  if (at < body.length) out.push({ kind: 'text', text: body.slice(at) });
  return out;
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Splits text into plain pieces and mentions: "@" (at the start or after a non-word character)
 * followed by the name of someone in `names`, case-insensitive, the longest name first ("@Ana Lee"
 * over "@Ana"), and not followed by a word character.
 */
export function mentionPieces(text: string, names: readonly string[], myName: string | null): ChatPiece[] {
  const sorted = [...new Set(names.map((n) => n.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  const lower = text.toLowerCase();
  const out: ChatPiece[] = [];
  let at = 0;
  let plainFrom = 0;
  while (at < text.length) {
    const i = text.indexOf('@', at);
    if (i < 0) break;
    at = i + 1;
    if (i > 0 && WORD.test(text[i - 1])) continue;
    const name = sorted.find((n) => {
      if (!lower.startsWith(n.toLowerCase(), i + 1)) return false;
      const after = text[i + 1 + n.length];
      return after === undefined || !WORD.test(after);
    });
    if (!name) continue;
    if (i > plainFrom) out.push({ kind: 'text', text: text.slice(plainFrom, i) });
    const me = myName !== null && name.toLowerCase() === myName.trim().toLowerCase();
    out.push({ kind: 'mention', text: text.slice(i, i + 1 + name.length), name, me });
    plainFrom = at = i + 1 + name.length;
  }
  if (plainFrom < text.length) out.push({ kind: 'text', text: text.slice(plainFrom) });
  return out;
}

/** A message's pieces: links first (a URL's "@" is not a mention), then mentions in the text between. */
export function chatPieces(body: string, names: readonly string[], myName: string | null): ChatPiece[] {
  return linkPieces(body).flatMap((p) => (p.kind === 'text' ? mentionPieces(p.text, names, myName) : [p]));
}

/** Where the caret is in the middle of typing a mention: the "@" position and what follows it. */
export interface MentionQuery {
  start: number;
  query: string;
}

/**
 * The mention being typed at `caret`: an "@" at the start or after whitespace, then up to 30 characters
 * on the same line. Null when the caret is not in one.
 */
export function mentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || (at > 0 && !/\s/u.test(before[at - 1]))) return null;
  const query = before.slice(at + 1);
  if (query.length > 30 || /[\n@]/u.test(query)) return null;
  return { start: at, query };
}

/** Names that start with the query (case-insensitive), without mine, at most `max`, in the given order. */
export function mentionCandidates(query: string, names: readonly string[], myName: string | null, max = 8): string[] {
  const q = query.toLowerCase();
  const me = myName?.trim().toLowerCase();
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (!name || key === me || seen.has(key) || !key.startsWith(q)) continue;
    seen.add(key);
    out.push(name);
    if (out.length === max) break;
  }
  return out;
}

/** The text with the typed mention replaced by "@Name " and where the caret goes after it. */
export function applyMention(text: string, q: MentionQuery, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  const rest = text.slice(caret).replace(/^ /u, '');
  return { text: text.slice(0, q.start) + inserted + rest, caret: q.start + inserted.length };
}
