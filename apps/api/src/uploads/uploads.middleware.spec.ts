import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@reelroom/contracts';
import { silentLogger } from '../testing/silent-logger.js';
import { ROOM, uploadsFixture } from '../testing/uploads.fixture.js';
import { UploadContexts } from './upload-context.js';
import { TusEndpoint } from './tus.endpoint.js';
import { UploadsMiddleware, type UploadRequest } from './uploads.middleware.js';

/** The middleware's admission never reaches tus: a tus that refuses to be used. */
class UnusedTus extends TusEndpoint {
  handle(_req: IncomingMessage, _res: ServerResponse): Promise<void> {
    throw new Error('tus must not be reached from admit()');
  }
  discard(_id: string): Promise<void> {
    throw new Error('not here');
  }
  cleanUpExpiredUploads(): Promise<number> {
    throw new Error('not here');
  }
}

const ID = 'a'.repeat(32);

function setup() {
  const t = uploadsFixture();
  const middleware = new UploadsMiddleware(t.service, new UnusedTus(), new UploadContexts(), silentLogger);
  const req = (method: string, path: string, headers: Record<string, string> = { authorization: 'Bearer tok-ana' }): UploadRequest => ({
    method,
    path,
    headers,
    cookies: {},
    originalUrl: `/api/uploads${path}`,
    url: path,
  });
  return { ...t, middleware, req };
}

describe(UploadsMiddleware.name, () => {
  it('wants a session (401) and an account (403 for guests), by Bearer or cookie', async () => {
    const t = setup();
    expect(await t.middleware.admit(t.req('POST', '/', {}))).toEqual({ refuse: { status: 401, message: 'Sign in to continue.' } });
    expect(await t.middleware.admit(t.req('POST', '/', { authorization: 'Bearer nope' }))).toMatchObject({ refuse: { status: 401 } });
    expect(await t.middleware.admit(t.req('POST', '/', { authorization: 'Bearer tok-guest' }))).toEqual({
      refuse: { status: 403, message: 'Create an account to upload.' },
    });
    expect(await t.middleware.admit(t.req('POST', '/', { cookie: `${SESSION_COOKIE}=tok-ana` }))).toMatchObject({
      context: { auth: { user: { id: 'ana' } }, upload: null },
    });
  });

  it('allows only POST on the collection and HEAD/PATCH/DELETE on a 32-hex id', async () => {
    const t = setup();
    expect(await t.middleware.admit(t.req('GET', '/'))).toEqual({ refuse: { status: 404, message: 'Not found.' } });
    for (const path of ['/..%2f..%2fetc', `/${ID.toUpperCase()}`, `/${ID}0`, `/${ID}/x`, '/%2e%2e']) {
      expect(await t.middleware.admit(t.req('HEAD', path)), path).toEqual({
        refuse: { status: 404, message: 'This upload does not exist.' },
      });
    }
    expect(await t.middleware.admit(t.req('POST', `/${ID}`))).toMatchObject({ refuse: { status: 404 } });
  });

  it("answers someone else's upload exactly like a missing one, and hands the owner's row to tus's hooks", async () => {
    const t = setup();
    await t.service.create('ana', ID, 100, { roomId: ROOM });
    const mine = await t.middleware.admit(t.req('PATCH', `/${ID}`));
    expect(mine).toMatchObject({ context: { auth: { user: { id: 'ana' } }, upload: { id: ID, userId: 'ana' } } });
    const theirs = await t.middleware.admit(t.req('PATCH', `/${ID}`, { authorization: 'Bearer tok-bob' }));
    const missing = await t.middleware.admit(t.req('PATCH', `/${'b'.repeat(32)}`, { authorization: 'Bearer tok-bob' }));
    expect(theirs).toEqual(missing);
    expect(theirs).toEqual({ refuse: { status: 404, message: 'This upload does not exist.' } });
  });

  it('refuses a PATCH once the uploader is banned (403) or the room closed (410), naming the upload to discard', async () => {
    const t = setup();
    await t.service.create('ana', ID, 100, { roomId: ROOM });
    await t.rooms.ban(ROOM, 'ana');
    expect(await t.middleware.admit(t.req('PATCH', `/${ID}`))).toEqual({
      refuse: { status: 403, message: 'Join this room first.', discard: ID },
    });
    const other = 'c'.repeat(32);
    t.rooms.seedMember(ROOM, 'cy');
    await t.service.create('cy', other, 100, { roomId: ROOM });
    t.rooms.rooms.get(ROOM)!.closedAt = new Date();
    expect(await t.middleware.admit(t.req('PATCH', `/${other}`, { authorization: 'Bearer tok-cy' }))).toMatchObject({
      refuse: { status: 410, discard: other },
    });
    // HEAD still answers (the client learns the offset), only sending more bytes is refused.
    expect(await t.middleware.admit(t.req('HEAD', `/${other}`, { authorization: 'Bearer tok-cy' }))).toMatchObject({ context: {} });
  });
});
