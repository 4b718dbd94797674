import type { Prisma } from '@reelroom/db';
import { unfinishedUploadsWhere } from './prisma-media.repository.js';

/**
 * The one way a quota reservation measures a person's storage, inside its transaction: first a per-user
 * advisory lock (every reservation of this person, upload or import, waits for the one before it), then
 * what is in use: their stored media, each folder once however many rooms have a copy of it (an import's
 * row holds its reservation as its size), plus the uploads still in flight. Under READ COMMITTED each statement after the lock sees what the previous holder committed.
 */
export async function lockAndMeasureQuota(tx: Prisma.TransactionClient, userId: string): Promise<number> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`quota:${userId}`}, 0))::text AS locked`;
  const [media, uploads] = await Promise.all([
    // Once per stored folder, however many rooms have a copy of it (the library, issue 12).
    tx.$queryRaw<{ total: string | null }[]>`
      SELECT SUM(s)::text AS total FROM (
        SELECT DISTINCT ON (COALESCE("storageId", "id")) "sizeBytes" AS s FROM "Media" WHERE "uploaderId" = ${userId}::uuid
      ) AS stored`,
    tx.upload.aggregate({ where: unfinishedUploadsWhere(userId, new Date()), _sum: { sizeBytes: true } }),
  ]);
  return Number(media[0]?.total ?? 0) + Number(uploads._sum.sizeBytes ?? 0n);
}
