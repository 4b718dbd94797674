import { describe, expect, it } from 'vitest';
import { audioChoiceKey, matchAudioChoice, readAudioChoice, writeAudioChoice, type AudioTrackOption } from './audio-track-choice';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
}

const tracks: AudioTrackOption[] = [
  { index: 0, name: 'English', lang: 'en' },
  { index: 1, name: 'Commentary', lang: 'fr' },
];

describe('audio track choice', () => {
  it('keys the choice by person and by the stream path, not its query', () => {
    expect(audioChoiceKey('u1', '/media/m1/master.m3u8?subs=a')).toBe('reelroom.audio-track:u1:/media/m1/master.m3u8');
    expect(audioChoiceKey('u2', '/media/m1/master.m3u8')).not.toBe(audioChoiceKey('u1', '/media/m1/master.m3u8'));
  });

  it('writes and reads back a choice, and finds its track by NAME and LANGUAGE', () => {
    const storage = new MemoryStorage();
    const key = audioChoiceKey('u1', '/media/m1/master.m3u8');
    expect(readAudioChoice(storage, key)).toBeNull();
    writeAudioChoice(storage, key, tracks[1]);
    const stored = readAudioChoice(storage, key);
    expect(stored).toEqual({ name: 'Commentary', lang: 'fr' });
    expect(matchAudioChoice(tracks, stored)).toBe(1);
    // Same name, other language tag: still that track; a track that is gone: none.
    expect(matchAudioChoice(tracks, { name: 'Commentary', lang: 'de' })).toBe(1);
    expect(matchAudioChoice(tracks, { name: 'Dub' })).toBe(-1);
    expect(matchAudioChoice(tracks, null)).toBe(-1);
  });

  it('ignores what it cannot trust, and a storage that throws', () => {
    const storage = new MemoryStorage();
    for (const bad of ['not json', '42', 'null', '{"name":7}', '{"name":""}']) {
      storage.setItem('k', bad);
      expect(readAudioChoice(storage, 'k')).toBeNull();
    }
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(readAudioChoice(throwing, 'k')).toBeNull();
    expect(() => writeAudioChoice(throwing, 'k', tracks[0])).not.toThrow();
    expect(readAudioChoice(null, 'k')).toBeNull();
  });
});
