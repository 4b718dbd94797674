-- CreateEnum
CREATE TYPE "SubtitleOrigin" AS ENUM ('upload', 'embedded');

-- CreateTable
CREATE TABLE "Subtitle" (
    "id" UUID NOT NULL,
    "mediaId" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "origin" "SubtitleOrigin" NOT NULL,
    "cueCount" INTEGER NOT NULL,
    "endSec" DOUBLE PRECISION NOT NULL,
    "streamIndex" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subtitle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubtitleSuggestion" (
    "roomId" TEXT NOT NULL,
    "mediaId" UUID NOT NULL,
    "subtitleId" UUID NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SubtitleSuggestion_pkey" PRIMARY KEY ("roomId","mediaId")
);

-- CreateIndex
CREATE INDEX "Subtitle_mediaId_createdAt_idx" ON "Subtitle"("mediaId", "createdAt");

-- AddForeignKey
ALTER TABLE "Subtitle" ADD CONSTRAINT "Subtitle_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubtitleSuggestion" ADD CONSTRAINT "SubtitleSuggestion_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubtitleSuggestion" ADD CONSTRAINT "SubtitleSuggestion_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubtitleSuggestion" ADD CONSTRAINT "SubtitleSuggestion_subtitleId_fkey" FOREIGN KEY ("subtitleId") REFERENCES "Subtitle"("id") ON DELETE CASCADE ON UPDATE CASCADE;
