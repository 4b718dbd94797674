-- Issue 8: why the server ended a live on a bound (LIVE_MAX_DURATION_SEC, LIVE_MAX_DISK_MB); null otherwise.
ALTER TABLE "RoomLive" ADD COLUMN "endReason" TEXT;
ALTER TABLE "RoomLive" ADD CONSTRAINT "RoomLive_endReason_check" CHECK ("endReason" IN ('max-duration', 'disk-limit'));
