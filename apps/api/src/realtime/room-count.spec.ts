import { describe, expect, it } from 'vitest';
import { countRooms } from './room-count.js';
import { memberChannel, roomChannel, sessionChannel, userChannel } from './socket-channels.js';

describe('countRooms', () => {
  it('counts watch-party channels only, not per-user, per-member, per-session or per-socket ones', () => {
    expect(
      countRooms([roomChannel('a'), roomChannel('b'), memberChannel('a', 'u1'), userChannel('u1'), sessionChannel('s1'), 'Xy12socketid']),
    ).toBe(2);
    expect(countRooms([])).toBe(0);
  });
});
