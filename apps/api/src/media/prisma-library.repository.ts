import { Injectable } from '@nestjs/common';
import { Prisma } from '@reelroom/db';
import { PrismaService } from '../prisma/prisma.service.js';
import { LIBRARY_REFUSALS, libraryAddRefusal, libraryCopyOf, storageFolderOf, type LibraryRow } from './library.js';
import { LibraryRepository, type LibraryAddOutcome } from './library.repository.js';
import { lockStoredFolder, sharingFolder } from './prisma-media.repository.js';

@Injectable()
export class PrismaLibraryRepository extends LibraryRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async listOwned(userId: string): Promise<LibraryRow[]> {
    const rows = await this.prisma.client.media.findMany({
      where: { uploaderId: userId },
      orderBy: { createdAt: 'asc' },
      take: 1000,
      include: { room: { select: { name: true, closedAt: true, members: { where: { userId }, select: { bannedAt: true } } } } },
    });
    return rows.map(({ room, ...media }) => ({
      media,
      roomName: room.name,
      watchable: room.closedAt === null && room.members.some((m) => m.bannedAt === null),
    }));
  }

  async addCopy(d: { id: string; sourceId: string; roomId: string; userId: string }): Promise<LibraryAddOutcome> {
    try {
      return await this.prisma.client.$transaction(async (tx): Promise<LibraryAddOutcome> => {
        const source = await tx.media.findUnique({ where: { id: d.sourceId } });
        const refusal = libraryAddRefusal(source, d.userId);
        if (refusal || !source) return { refused: refusal ?? LIBRARY_REFUSALS.unknown };
        const folder = storageFolderOf(source);
        // Reserve, then act: under the folder's lock the files cannot be released by a delete meanwhile.
        await lockStoredFolder(tx, folder);
        const holder = await tx.media.findFirst({ where: { ...sharingFolder(folder), status: 'ready' }, orderBy: { createdAt: 'asc' } });
        if (!holder) return { refused: LIBRARY_REFUSALS.unknown };
        if (await tx.media.findFirst({ where: { roomId: d.roomId, ...sharingFolder(folder) }, select: { id: true } })) {
          return { refused: LIBRARY_REFUSALS.already };
        }
        return { added: await tx.media.create({ data: libraryCopyOf(holder, d.id, d.roomId) }) };
      });
    } catch (err) {
      // Two adds to one room at once: both passed the check above, the unique index lets one insert.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return { refused: LIBRARY_REFUSALS.already };
      throw err;
    }
  }
}
