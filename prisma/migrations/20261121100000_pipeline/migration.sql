-- CreateEnum
CREATE TYPE "MediaKind" AS ENUM ('video', 'audio');

-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "etaSec" INTEGER,
ADD COLUMN     "hasPoster" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "hasStoryboard" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "kind" "MediaKind" NOT NULL DEFAULT 'video',
ADD COLUMN     "playable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "processingStartedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Upload" (
    "id" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "roomId" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "filename" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Upload_userId_idx" ON "Upload"("userId");

-- CreateIndex
CREATE INDEX "Upload_expiresAt_idx" ON "Upload"("expiresAt");

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
