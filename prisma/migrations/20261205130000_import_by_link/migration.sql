-- Add a video by link (issue 13): the `importing` status (the server fetches the file before the usual
-- queued -> processing -> ready), the link it came from, and the import's byte progress.
-- ADD VALUE runs inside the migration's transaction (PostgreSQL 12+); nothing here uses the new value.
ALTER TYPE "MediaStatus" ADD VALUE IF NOT EXISTS 'importing' BEFORE 'queued';

-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "sourceUrl" TEXT,
ADD COLUMN     "importedBytes" BIGINT,
ADD COLUMN     "importTotalBytes" BIGINT;
