import { describe, expect, it } from 'vitest';
import { inviteUrl, parseRoomCode, pinFromHash, roomPath } from './invite-link';

const ID = 'AbCdEfGhIjKlMnOpQr_-12';

describe('invite links', () => {
  it('reads a room from a bare code, a path or a full link, with the PIN from the fragment', () => {
    expect(parseRoomCode(`  ${ID} `)).toEqual({ roomId: ID });
    expect(parseRoomCode(`/r/${ID}`)).toEqual({ roomId: ID });
    expect(parseRoomCode(`https://watch.example/r/${ID}`)).toEqual({ roomId: ID });
    expect(parseRoomCode(`http://10.0.0.2:8080/r/${ID}/?x=1#pin=4821`)).toEqual({ roomId: ID, pin: '4821' });
    expect(parseRoomCode(`https://watch.example/r/${ID}#pin=12`)).toEqual({ roomId: ID }); // not a PIN: ignored
  });

  it('refuses what is not a room link or code', () => {
    for (const bad of ['', 'hello', ID.slice(1), `https://watch.example/x/${ID}`, `https://watch.example/r/${ID}extra`]) {
      expect(parseRoomCode(bad)).toBeNull();
    }
  });

  it('writes the PIN only into the fragment, never the path or query', () => {
    expect(inviteUrl('https://watch.example', ID)).toBe(`https://watch.example/r/${ID}`);
    expect(inviteUrl('https://watch.example', ID, '4821')).toBe(`https://watch.example/r/${ID}#pin=4821`);
    expect(inviteUrl('https://watch.example', ID, 'abc')).toBe(`https://watch.example/r/${ID}`);
    expect(roomPath({ roomId: ID, pin: '4821' })).toBe(`/r/${ID}#pin=4821`);
    expect(pinFromHash('#pin=004821')).toBe('004821');
    expect(pinFromHash('#other=1')).toBeUndefined();
  });
});
