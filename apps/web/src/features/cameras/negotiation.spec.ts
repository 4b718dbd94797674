import { describe, expect, it } from 'vitest';
import { CandidateBatcher, candidateOf, makesOffer } from './negotiation';

describe('makesOffer', () => {
  it('gives every pair exactly one offerer: the lower peer id', () => {
    const ids = ['Zq3', 'a1B', 'A1b', '-x_', '0aa'];
    for (const a of ids)
      for (const b of ids) {
        if (a === b) continue;
        expect(makesOffer(a, b) !== makesOffer(b, a), `${a} / ${b}`).toBe(true);
      }
    expect(makesOffer('AAAA', 'BBBB')).toBe(true);
    expect(makesOffer('b', 'B')).toBe(false);
  });
});

describe(CandidateBatcher.name, () => {
  function fakeTimers() {
    let next: (() => void) | null = null;
    return {
      fire: () => next?.(),
      pending: () => next !== null,
      timers: {
        set: (fn: () => void) => {
          next = fn;
          return 1;
        },
        clear: () => {
          next = null;
        },
      },
    };
  }
  const c = (n: number) => ({ candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${n} typ host`, sdpMid: '0', sdpMLineIndex: 0 });

  it('sends one batch per burst, after the quiet delay', () => {
    const sent: number[] = [];
    const t = fakeTimers();
    const b = new CandidateBatcher((batch) => sent.push(batch.length), 60, 16, t.timers);
    b.add(c(1));
    b.add(c(2));
    b.add(c(3));
    expect(sent).toEqual([]);
    t.fire();
    expect(sent).toEqual([3]);
  });

  it('sends at once when the batch is full, flushes on end-of-candidates, and drops all on cancel', () => {
    const sent: number[] = [];
    const t = fakeTimers();
    const b = new CandidateBatcher((batch) => sent.push(batch.length), 60, 2, t.timers);
    b.add(c(1));
    b.add(c(2));
    expect(sent).toEqual([2]);
    b.add(c(3));
    b.flush();
    expect(sent).toEqual([2, 1]);
    b.flush();
    expect(sent).toEqual([2, 1]);
    b.add(c(4));
    b.cancel();
    expect(t.pending()).toBe(false);
    expect(sent).toEqual([2, 1]);
  });

  it('copies only the fields the signal schema carries', () => {
    const browser = { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u', foundation: '1', toJSON: () => ({}) };
    expect(candidateOf(browser)).toEqual({ candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' });
  });
});
