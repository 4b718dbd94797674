-- An Upload row is also the quota reservation of an upload in flight (tus or multipart). When the upload
-- completes it is claimed for a media id (mediaId) and then marked finished (finishedAt) in the same
-- transaction that creates the Media row: finished rows no longer count against the quota, and a finished
-- tus upload stays answerable (HEAD gives its offset and media id) until it expires.
ALTER TABLE "Upload" ADD COLUMN "mediaId" UUID,
ADD COLUMN "finishedAt" TIMESTAMP(3);
