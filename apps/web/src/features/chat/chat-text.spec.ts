import { describe, expect, it } from 'vitest';
import { applyMention, chatPieces, linkPieces, mentionCandidates, mentionPieces, mentionQuery, safeHref } from './chat-text';

describe(linkPieces.name, () => {
  it('finds http and https links between plain text', () => {
    expect(linkPieces('see https://example.org/a?b=1#c and http://x.test now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('leaves sentence punctuation and an unmatched closing bracket out of the link', () => {
    expect(linkPieces('(look: https://en.wikipedia.org/wiki/Film_(genre)).')).toEqual([
      { kind: 'text', text: '(look: ' },
      { kind: 'link', text: 'https://en.wikipedia.org/wiki/Film_(genre)', href: 'https://en.wikipedia.org/wiki/Film_(genre)' },
      { kind: 'text', text: ').' },
    ]);
    expect(linkPieces('go to https://a.test/x!')[1]).toMatchObject({ text: 'https://a.test/x' });
  });

  it('never makes a link of other schemes, a scheme glued to a word, or a scheme with no host', () => {
    for (const body of [
      'javascript:alert(1)',
      'JaVaScRiPt://example.org/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'xhttps://example.org',
      'https://',
      'vbscript:msgbox',
    ]) {
      expect(
        linkPieces(body).every((p) => p.kind === 'text'),
        body,
      ).toBe(true);
    }
  });

  it('keeps the text exactly: joining the pieces gives the message back', () => {
    const body = 'a https://b.test/c, d <b>e</b> https://f.test.';
    expect(
      linkPieces(body)
        .map((p) => p.text)
        .join(''),
    ).toBe(body);
  });
});

describe(safeHref.name, () => {
  it('accepts only http(s) URLs with a host', () => {
    expect(safeHref('https://example.org')).toBe('https://example.org/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});

describe(mentionPieces.name, () => {
  const names = ['Ana', 'Ana Lee', 'Bo'];

  it('marks @Name of people present, the longest name first, case-insensitive, and flags mine', () => {
    expect(mentionPieces('hi @ana lee and @BO!', names, 'Bo')).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@ana lee', name: 'Ana Lee', me: false },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@BO', name: 'Bo', me: true },
      { kind: 'text', text: '!' },
    ]);
  });

  it('ignores an email address, a name that continues, and someone not present', () => {
    for (const body of ['mail bo@ana.test', '@Anabel is here', '@Zed hi']) {
      expect(mentionPieces(body, names, null), body).toEqual([{ kind: 'text', text: body }]);
    }
  });
});

describe(chatPieces.name, () => {
  it('does not take an @ inside a link for a mention', () => {
    expect(chatPieces('@Bo https://x.test/@Bo', ['Bo'], null).map((p) => p.kind)).toEqual(['mention', 'text', 'link']);
  });
});

describe(mentionQuery.name, () => {
  it('finds the mention being typed at the caret', () => {
    expect(mentionQuery('hey @an', 7)).toEqual({ start: 4, query: 'an' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('hey @Ana L', 10)).toEqual({ start: 4, query: 'Ana L' });
  });

  it('is null for an email address, another line, or no @', () => {
    expect(mentionQuery('bo@an', 5)).toBeNull();
    expect(mentionQuery('@ana\nhi', 7)).toBeNull();
    expect(mentionQuery('hello', 5)).toBeNull();
  });
});

describe(mentionCandidates.name, () => {
  it('lists names starting with the query, without mine or duplicates, capped', () => {
    expect(mentionCandidates('a', ['Ana', 'bo', 'Al', 'ana', 'Me'], 'Al')).toEqual(['Ana']);
    expect(mentionCandidates('', ['A', 'B', 'C'], null, 2)).toEqual(['A', 'B']);
  });
});

describe(applyMention.name, () => {
  it('replaces the typed mention with @Name and a space, and puts the caret after it', () => {
    expect(applyMention('hi @an there', { start: 3, query: 'an' }, 6, 'Ana Lee')).toEqual({ text: 'hi @Ana Lee there', caret: 12 });
  });
});
