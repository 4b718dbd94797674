import { describe, expect, it } from 'vitest';
import {
  BLOCKING_REREAD_MS,
  hintsPart,
  holdHintedPart,
  holdPlaylist,
  parseBlockingQuery,
  playlistEdge,
  reloadDecision,
  type ChangeLatch,
} from './blocking-reload.js';

const PLAYLIST = [
  '#EXTM3U',
  '#EXT-X-VERSION:9',
  '#EXT-X-TARGETDURATION:1',
  '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.101',
  '#EXT-X-PART-INF:PART-TARGET=0.367',
  '#EXT-X-MEDIA-SEQUENCE:10',
  '#EXT-X-MAP:URI="init.mp4"',
  '#EXT-X-PART:DURATION=0.33333,URI="part_00010_0.m4s",INDEPENDENT=YES',
  '#EXTINF:1,',
  'seg_00010.m4s',
  '#EXTINF:1,',
  'seg_00011.m4s',
  '#EXT-X-PART:DURATION=0.33333,URI="part_00012_0.m4s",INDEPENDENT=YES',
  '#EXT-X-PART:DURATION=0.33333,URI="part_00012_1.m4s"',
  '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00012_2.m4s"',
].join('\n');

describe(parseBlockingQuery.name, () => {
  it('reads whole numbers and refuses anything else, and a part without an msn', () => {
    expect(parseBlockingQuery({})).toBeNull();
    expect(parseBlockingQuery({ _HLS_msn: '12' })).toEqual({ msn: 12 });
    expect(parseBlockingQuery({ _HLS_msn: '12', _HLS_part: '0' })).toEqual({ msn: 12, part: 0 });
    for (const bad of [
      { _HLS_msn: '-1' },
      { _HLS_msn: '1.5' },
      { _HLS_msn: 'x' },
      { _HLS_msn: ['1', '2'] },
      { _HLS_part: '1' },
      { _HLS_msn: '1', _HLS_part: '' },
    ])
      expect(parseBlockingQuery(bad)).toBe('bad');
  });
});

describe(reloadDecision.name, () => {
  const edge = playlistEdge(PLAYLIST);

  it('reads the edge: the last complete segment, the parts of the open one, the target duration', () => {
    expect(edge).toEqual({ live: true, lastMsn: 11, nextParts: 2, targetDurationSec: 1 });
  });

  it('answers at once for what the playlist holds, waits for the next parts and segments, refuses what is too far ahead', () => {
    expect(reloadDecision(edge, { msn: 11 })).toBe('ready');
    expect(reloadDecision(edge, { msn: 12, part: 1 })).toBe('ready');
    expect(reloadDecision(edge, { msn: 12, part: 2 })).toBe('wait');
    expect(reloadDecision(edge, { msn: 12 })).toBe('wait');
    expect(reloadDecision(edge, { msn: 13, part: 0 })).toBe('wait');
    expect(reloadDecision(edge, { msn: 14 })).toBe('bad');
    expect(reloadDecision(edge, { msn: 12, part: 5 })).toBe('bad');
    expect(reloadDecision(edge, { msn: 13, part: 3 })).toBe('bad');
  });

  it('never holds a playlist that does not block (standard HLS) or has ended', () => {
    const standard = '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nseg_00000.m4s\n';
    expect(reloadDecision(playlistEdge(standard), { msn: 5 })).toBe('ready');
    expect(reloadDecision(playlistEdge(`${PLAYLIST}\n#EXT-X-ENDLIST`), { msn: 13 })).toBe('ready');
  });
});

describe(holdPlaylist.name, () => {
  /** A playlist whose rewrites come one per wait; the clock moves by what each wait asked for. */
  function ports(versions: string[]) {
    let clock = 0;
    let at = 0;
    const waits: number[] = [];
    return {
      waits,
      read: () => Promise.resolve(Buffer.from(versions[Math.min(at, versions.length - 1)])),
      nextChange: () =>
        Promise.resolve({
          wait: (ms: number) => {
            waits.push(ms);
            clock += ms;
            at += 1;
            return Promise.resolve();
          },
          cancel: () => undefined,
        }),
      now: () => clock,
    };
  }
  const withPart2 = PLAYLIST.replace(
    '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00012_2.m4s"',
    '#EXT-X-PART:DURATION=0.33333,URI="part_00012_2.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00012_3.m4s"',
  );

  it('answers with the first version of the playlist that lists the part asked for', async () => {
    const p = ports([PLAYLIST, PLAYLIST, withPart2]);
    const held = await holdPlaylist({ msn: 12, part: 2 }, p);
    expect(held?.toString()).toBe(withPart2);
    expect(p.waits).toEqual([BLOCKING_REREAD_MS, BLOCKING_REREAD_MS]);
  });

  it('gives up after three target durations (503) and refuses at once what is too far ahead (400)', async () => {
    const p = ports([PLAYLIST]);
    expect(await holdPlaylist({ msn: 13 }, p)).toBe('timeout');
    expect(p.waits.reduce((a, b) => a + b, 0)).toBe(3000);
    const q = ports([PLAYLIST]);
    expect(await holdPlaylist({ msn: 20 }, q)).toBe('bad');
    expect(q.waits).toEqual([]);
  });

  it('keeps holding a request that was valid when it came after a resume drops the open parts it counted on', async () => {
    const resumed = PLAYLIST.replace(/#EXT-X-PART:[^\n]*part_00012_[^\n]*\n/g, '#EXT-X-DISCONTINUITY\n');
    const p = ports([
      withPart2,
      resumed,
      resumed,
      withPart2
        .replace('part_00012_3.m4s"', 'part_00013_0.m4s"')
        .replace('#EXT-X-PRELOAD-HINT', '#EXT-X-PART:DURATION=0.33333,URI="part_00012_3.m4s"\n#EXT-X-PRELOAD-HINT'),
    ]);
    // Part 5 of msn 12: within the advance limit of the 3 parts listed, beyond it once they are dropped.
    expect(reloadDecision(playlistEdge(resumed), { msn: 12, part: 5 })).toBe('bad');
    const held = await holdPlaylist({ msn: 12, part: 3 }, p);
    expect(held?.toString()).toContain('URI="part_00012_3.m4s"\n');
    expect(p.waits).toHaveLength(3);
  });

  it('does not miss a part announced while the playlist is read: listening starts before the read', async () => {
    // The real bell's order of events: the read returns the playlist as it was, and the transcoder
    // announces the next part before the wait begins. The wait must end at once, not after a re-read interval.
    let clock = 0;
    let version = PLAYLIST;
    const listeners = new Set<() => void>();
    const held = await holdPlaylist(
      { msn: 12, part: 2 },
      {
        nextChange: () => {
          let rung = false;
          const ring = () => (rung = true);
          listeners.add(ring);
          return Promise.resolve({
            wait: (ms: number) => {
              if (!rung) clock += ms;
              return Promise.resolve();
            },
            cancel: () => listeners.delete(ring),
          });
        },
        read: () => {
          const now = Buffer.from(version);
          version = withPart2;
          for (const ring of listeners) ring();
          return Promise.resolve(now);
        },
        now: () => clock,
      },
    );
    expect(held?.toString()).toBe(withPart2);
    expect(clock).toBe(0);
    expect(listeners.size).toBe(0);
  });
});

/** Ports whose every wait hangs (no rewrite comes, no timer runs): only the client's going away ends a hold. */
function hangingPorts(playlist: string) {
  const listening = { started: 0, stopped: 0, waiting: 0 };
  const latch = (): ChangeLatch => {
    listening.started += 1;
    return {
      wait: () => {
        listening.waiting += 1;
        return new Promise<void>(() => undefined);
      },
      cancel: () => void (listening.stopped += 1),
    };
  };
  return {
    listening,
    read: () => Promise.resolve(Buffer.from(playlist)),
    playlist: () => Promise.resolve(Buffer.from(playlist)),
    exists: () => Promise.resolve(false),
    nextChange: () => Promise.resolve(latch()),
    now: () => 0,
  };
}

describe('a held request whose client goes away', () => {
  it('ends the blocking reload at once and stops listening for rewrites', async () => {
    const p = hangingPorts(PLAYLIST);
    const gone = new AbortController();
    const held = holdPlaylist({ msn: 12, part: 2 }, { ...p, signal: gone.signal });
    await expect.poll(() => p.listening.waiting).toBe(1);
    gone.abort();
    expect(await held).toBe('gone');
    expect(p.listening.stopped).toBe(p.listening.started);
  });

  it('ends the hold of a hinted part at once, and holds nothing for a client already gone', async () => {
    const p = hangingPorts(PLAYLIST);
    const gone = new AbortController();
    const held = holdHintedPart('part_00012_2.m4s', { ...p, signal: gone.signal });
    await expect.poll(() => p.listening.waiting).toBe(1);
    gone.abort();
    expect(await held).toBe(false);
    expect(p.listening.stopped).toBe(p.listening.started);
    const before = p.listening.started;
    expect(await holdPlaylist({ msn: 12, part: 2 }, { ...p, signal: gone.signal })).toBe('gone');
    expect(p.listening.started).toBe(before);
  });
});

describe(holdHintedPart.name, () => {
  const withPart2 = PLAYLIST.replace(
    '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00012_2.m4s"',
    '#EXT-X-PART:DURATION=0.33333,URI="part_00012_2.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00012_3.m4s"',
  );
  /** Storage where the part appears with the `appearsAt`-th playlist version (one version per wait). */
  function ports(versions: string[], appearsAt: number) {
    let clock = 0;
    let at = 0;
    const waits: number[] = [];
    const listening = { started: 0, stopped: 0 };
    return {
      waits,
      listening,
      exists: () => Promise.resolve(at >= appearsAt),
      playlist: () => Promise.resolve(Buffer.from(versions[Math.min(at, versions.length - 1)])),
      nextChange: () => {
        listening.started += 1;
        return Promise.resolve({
          wait: (ms: number) => {
            waits.push(ms);
            clock += ms;
            at += 1;
            return Promise.resolve();
          },
          cancel: () => void (listening.stopped += 1),
        });
      },
      now: () => clock,
    };
  }

  it('knows the hinted part of a live playlist, and nothing in an ended one', () => {
    expect(hintsPart(PLAYLIST, 'part_00012_2.m4s')).toBe(true);
    expect(hintsPart(PLAYLIST, 'part_00012_3.m4s')).toBe(false);
    expect(hintsPart(`${PLAYLIST}\n#EXT-X-ENDLIST`, 'part_00012_2.m4s')).toBe(false);
  });

  it('reads the hint as an attribute list: any order, a byte-range hint still names its part, a map hint is not a part', () => {
    const hint = (attrs: string) =>
      PLAYLIST.replace('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00012_2.m4s"', `#EXT-X-PRELOAD-HINT:${attrs}`);
    expect(hintsPart(hint('URI="part_00012_2.m4s",TYPE=PART'), 'part_00012_2.m4s')).toBe(true);
    expect(hintsPart(hint('TYPE=PART,URI="part_00012_2.m4s",BYTERANGE-START=0'), 'part_00012_2.m4s')).toBe(true);
    expect(hintsPart(hint('TYPE=MAP,URI="part_00012_2.m4s"'), 'part_00012_2.m4s')).toBe(false);
    expect(hintsPart(hint('TYPE=PART,URI="part_00012_2.m4s.x"'), 'part_00012_2.m4s')).toBe(false);
  });

  it('holds a request for the hinted part until the packager writes it', async () => {
    const p = ports([PLAYLIST, PLAYLIST, withPart2], 2);
    expect(await holdHintedPart('part_00012_2.m4s', p)).toBe(true);
    expect(p.waits).toEqual([BLOCKING_REREAD_MS, BLOCKING_REREAD_MS]);
    // Every listen for a rewrite is stopped again.
    expect(p.listening.started).toBe(3);
    expect(p.listening.stopped).toBe(3);
  });

  it('answers at once for a part the playlist does not hint (404), and gives up after three target durations', async () => {
    const made = ports([PLAYLIST], 99);
    expect(await holdHintedPart('part_00012_7.m4s', made)).toBe(false);
    expect(made.waits).toEqual([]);
    // Not even a listen for rewrites (the bell's subscriber is for holds only).
    expect(made.listening.started).toBe(0);
    const never = ports([PLAYLIST], 99);
    expect(await holdHintedPart('part_00012_2.m4s', never)).toBe(false);
    expect(never.waits.reduce((a, b) => a + b, 0)).toBe(3000);
  });

  it('lets go when the live ends without the part (the final playlist hints nothing)', async () => {
    const p = ports([PLAYLIST, `${PLAYLIST}\n#EXT-X-ENDLIST`], 99);
    expect(await holdHintedPart('part_00012_2.m4s', p)).toBe(false);
    expect(p.waits).toHaveLength(1);
  });
});
