import { Module } from '@nestjs/common';
import { MediaStore } from './media.store.js';
import { LocalMediaStore } from './local-media.store.js';

/**
 * Media storage behind the MediaStore port. Local disk today; an object-storage implementation is a
 * second class bound here (by config), with no change to its callers (media, uploads, HLS).
 */
@Module({
  providers: [{ provide: MediaStore, useClass: LocalMediaStore }],
  exports: [MediaStore],
})
export class StorageModule {}
