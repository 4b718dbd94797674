import type { MediaView } from '@reelroom/contracts';

/**
 * What MediaService needs to tell a room; implemented by the socket gateway. An abstract class so
 * Nest can inject it and unit tests can pass a plain fake.
 */
export abstract class MediaEvents {
  abstract mediaUpdated(media: MediaView, scope?: EmitScope): void;
  abstract mediaProgress(roomId: string, mediaId: string, progress: number, etaSec: number | null, scope?: EmitScope): void;
  abstract mediaDeleted(roomId: string, mediaId: string, scope?: EmitScope): void;
}

/**
 * `cluster` (default): through the socket.io adapter to every API process (request paths: upload,
 * cancel, delete). `local`: this process's sockets only, for events every API process observes itself
 * (its own BullMQ QueueEvents listener); through the adapter they would arrive once per process.
 */
export type EmitScope = 'cluster' | 'local';
