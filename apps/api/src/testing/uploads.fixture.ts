import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { MediaView } from '@reelroom/contracts';
import type { AuthContext } from '../auth/auth.types.js';
import type { SessionAuthenticator } from '../auth/session-authenticator.js';
import { loadConfig } from '../config/config.js';
import type { MediaIntake, StagedFile } from '../media/media-intake.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { UploadsService } from '../uploads/uploads.service.js';
import { authAs } from './fake-socket.js';
import { MemoryRoomsRepository } from './memory-rooms.repository.js';
import { MemoryUploadsRepository } from './memory-uploads.repository.js';
import { silentLogger } from './silent-logger.js';

/** Tokens `tok-<userId>` sign in as that user; `tok-guest` as a guest. */
export class TokenSessions implements SessionAuthenticator {
  async authenticate(token: string | undefined): Promise<AuthContext | null> {
    if (token === 'tok-guest') return authAs('guest', 'Gus', true);
    return token?.startsWith('tok-') ? authAs(token.slice(4)) : null;
  }
}

/** Media's intake: a quota per user, files whose first byte is `#` refused like a playlist, the rest accepted. */
export class FakeIntake implements MediaIntake {
  readonly accepted: StagedFile[] = [];
  readonly quotaLeft = new Map<string, number>();

  async assertWithinQuota(userId: string, incomingBytes: number): Promise<void> {
    if (incomingBytes > (this.quotaLeft.get(userId) ?? Number.POSITIVE_INFINITY))
      throw new PayloadTooLargeException('This upload would exceed your storage quota.');
  }

  async acceptFile(userId: string, roomId: string, file: StagedFile): Promise<MediaView> {
    if (file.originalname.startsWith('#'))
      throw new UnsupportedMediaTypeException('This file is not a video we can read (unrecognised format).');
    this.accepted.push(file);
    const now = new Date(0).toISOString();
    return {
      id: `media-${this.accepted.length}`,
      roomId,
      uploaderId: userId,
      originalName: file.originalname,
      sizeBytes: file.size,
      status: 'queued',
      kind: 'video',
      progress: 0,
      sourceUrl: null,
      importedBytes: null,
      importTotalBytes: null,
      etaSec: null,
      queuePosition: 1,
      playable: false,
      error: null,
      durationSec: null,
      width: null,
      height: null,
      renditions: [],
      playbackUrl: null,
      posterUrl: null,
      storyboardUrl: null,
      createdAt: now,
      updatedAt: now,
    };
  }
}

export const ROOM = 'A'.repeat(22);

/** A real UploadsService over in-memory rooms (ROOM: ana a member, bob not) and uploads. */
export function uploadsFixture(env: Record<string, string> = {}) {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: ROOM }, 'host');
  rooms.seedMember(ROOM, 'ana');
  const repo = new MemoryUploadsRepository();
  const intake = new FakeIntake();
  const config = loadConfig({ UPLOAD_EXPIRY_HOURS: '1', ...env });
  const service = new UploadsService(repo, new TokenSessions(), new RoomAccessPolicy(rooms), intake, config, silentLogger);
  return { rooms, repo, intake, config, service };
}
