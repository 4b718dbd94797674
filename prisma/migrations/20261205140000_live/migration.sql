-- CreateEnum
CREATE TYPE "LiveStatus" AS ENUM ('idle', 'starting', 'live', 'ended');

-- CreateEnum
CREATE TYPE "LiveMode" AS ENUM ('standard', 'low');

-- CreateTable
CREATE TABLE "RoomLive" (
    "roomId" TEXT NOT NULL,
    "streamKeyHash" TEXT,
    "status" "LiveStatus" NOT NULL DEFAULT 'idle',
    "mode" "LiveMode" NOT NULL DEFAULT 'standard',
    "streamId" UUID,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "replayMediaId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoomLive_pkey" PRIMARY KEY ("roomId")
);

-- CreateIndex
CREATE UNIQUE INDEX "RoomLive_streamKeyHash_key" ON "RoomLive"("streamKeyHash");

-- CreateIndex
CREATE UNIQUE INDEX "RoomLive_streamId_key" ON "RoomLive"("streamId");

-- AddForeignKey
ALTER TABLE "RoomLive" ADD CONSTRAINT "RoomLive_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
