import { BadRequestException, ForbiddenException, GoneException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ROOM, uploadsFixture } from '../testing/uploads.fixture.js';
import { UploadsService } from './uploads.service.js';

const ID = 'a'.repeat(32);

describe(UploadsService.name, () => {
  it('records an upload for a member, keeping only the allow-listed metadata, cleaned', async () => {
    const t = uploadsFixture();
    const kept = await t.service.create('ana', ID, 1000, {
      roomId: ROOM,
      filename: '../../etc/passwd',
      filetype: 'video/mp4',
      path: '/etc/passwd',
      stagingKey: 'x',
    });
    expect(kept).toEqual({ roomId: ROOM, filename: 'passwd', filetype: 'video/mp4' });
    expect(t.repo.rows.get(ID)).toMatchObject({ userId: 'ana', roomId: ROOM, sizeBytes: 1000n, filename: 'passwd' });
    const expiresIn = t.repo.rows.get(ID)!.expiresAt.getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(3_500_000);
    expect(expiresIn).toBeLessThanOrEqual(3_600_000);
    expect(await t.service.create('ana', 'b'.repeat(32), 5, { roomId: ROOM, filetype: 'text/html; evil' })).toEqual({
      roomId: ROOM,
      filename: 'upload',
    });
  });

  it('refuses unknown or empty lengths, a missing or unknown room, strangers, closed rooms and the quota, recording nothing', async () => {
    const t = uploadsFixture();
    t.intake.quota.set('ana', 100);
    const refusals: Array<[Promise<unknown>, unknown]> = [
      [t.service.create('ana', ID, undefined, { roomId: ROOM }), BadRequestException],
      [t.service.create('ana', ID, 0, { roomId: ROOM }), BadRequestException],
      [t.service.create('ana', ID, 10, {}), BadRequestException],
      [t.service.create('ana', ID, 10, { roomId: '../x' }), NotFoundException],
      [t.service.create('ana', ID, 10, { roomId: 'Z'.repeat(22) }), NotFoundException],
      [t.service.create('bob', ID, 10, { roomId: ROOM }), ForbiddenException],
      [t.service.create('ana', ID, 101, { roomId: ROOM }), PayloadTooLargeException],
    ];
    for (const [p, type] of refusals) await expect(p).rejects.toBeInstanceOf(type);
    t.rooms.rooms.get(ROOM)!.closedAt = new Date();
    await expect(t.service.create('ana', ID, 10, { roomId: ROOM })).rejects.toBeInstanceOf(GoneException);
    expect(t.repo.rows.size).toBe(0);
  });

  it("finds only the caller's own uploads", async () => {
    const t = uploadsFixture();
    await t.service.create('ana', ID, 10, { roomId: ROOM });
    expect((await t.service.findOwned('ana', ID))?.id).toBe(ID);
    expect(await t.service.findOwned('bob', ID)).toBeNull();
    expect(await t.service.findOwned('ana', 'b'.repeat(32))).toBeNull();
  });

  it('finishes once: the reservation is claimed, then the staged file becomes media; a second finisher gets 404', async () => {
    const t = uploadsFixture();
    const row = await t.repo.create({
      id: ID,
      userId: 'ana',
      roomId: ROOM,
      sizeBytes: 10,
      filename: 'film.mp4',
      expiresAt: new Date(Date.now() + 1000),
    });
    const [first, second] = await Promise.allSettled([t.service.finish(row, `.tus/${ID}`), t.service.finish(row, `.tus/${ID}`)]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { id: 'media-1', originalName: 'film.mp4' } });
    expect(second).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundException) as NotFoundException });
    expect(t.intake.accepted).toEqual([{ key: `.tus/${ID}`, size: 10, originalname: 'film.mp4', reservationId: ID }]);
    // The row stays, finished and pointing at its media, so HEAD can answer a resuming client until expiry.
    expect(t.repo.rows.get(ID)).toMatchObject({ mediaId: 'media-1', finishedAt: expect.any(Date) as Date });
  });

  it('passes on a refusal at completion (415), with the row gone so the quota no longer counts it', async () => {
    const t = uploadsFixture();
    const row = await t.repo.create({
      id: ID,
      userId: 'ana',
      roomId: ROOM,
      sizeBytes: 10,
      filename: '#EXTM3U.mp4',
      expiresAt: new Date(Date.now() + 1000),
    });
    await expect(t.service.finish(row, `.tus/${ID}`)).rejects.toThrow(/not a video/);
    expect(t.repo.rows.size).toBe(0);
  });

  it('deletes the rows of expired uploads and of terminated ones', async () => {
    const t = uploadsFixture();
    await t.repo.create({ id: ID, userId: 'ana', roomId: ROOM, sizeBytes: 10, filename: 'a', expiresAt: new Date(1000) });
    await t.repo.create({ id: 'b'.repeat(32), userId: 'ana', roomId: ROOM, sizeBytes: 10, filename: 'b', expiresAt: new Date(5000) });
    expect(await t.service.deleteExpired(new Date(2000))).toEqual([ID]);
    await t.service.terminated('b'.repeat(32));
    expect(t.repo.rows.size).toBe(0);
  });
});
