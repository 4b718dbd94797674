-- The library (issue 12): a room's copy of a video from its owner's library shares the first row's files.
ALTER TABLE "Media" ADD COLUMN "storageId" UUID;

-- CreateIndex
CREATE INDEX "Media_uploaderId_idx" ON "Media"("uploaderId");

-- CreateIndex
CREATE INDEX "Media_storageId_idx" ON "Media"("storageId");

-- One row per stored video per room: two concurrent "add from library" to one room cannot both insert.
-- An expression index, which Prisma's schema cannot state; a violation surfaces as P2002.
CREATE UNIQUE INDEX "Media_roomId_stored_key" ON "Media"("roomId", (COALESCE("storageId", "id")));
