-- Sessions remember where they were opened (the list of one's sessions, and what a ban holds on).
-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "address" TEXT,
ADD COLUMN     "deviceId" TEXT,
ADD COLUMN     "userAgent" TEXT;

-- CreateIndex
CREATE INDEX "Session_deviceId_idx" ON "Session"("deviceId");

-- CreateEnum
CREATE TYPE "RoomBlockKind" AS ENUM ('user', 'device', 'address');

-- Bans and kicks as they hold against rejoining: the person, their browsers and their addresses.
-- CreateTable
CREATE TABLE "RoomBlock" (
    "id" UUID NOT NULL,
    "roomId" TEXT NOT NULL,
    "kind" "RoomBlockKind" NOT NULL,
    "value" TEXT NOT NULL,
    "until" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomBlock_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoomBlock_roomId_kind_value_idx" ON "RoomBlock"("roomId", "kind", "value");

-- AddForeignKey
ALTER TABLE "RoomBlock" ADD CONSTRAINT "RoomBlock_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
