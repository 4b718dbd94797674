import { NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { MediaView } from '@reelroom/contracts';
import type { AuthContext } from '../auth/auth.types.js';
import type { SessionAuthenticator } from '../auth/session-authenticator.js';
import { loadConfig } from '../config/config.js';
import type { MediaIntake, StagedFile, UploadReservationRequest } from '../media/media-intake.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { UploadsService } from '../uploads/uploads.service.js';
import { authAs } from './fake-socket.js';
import { MemoryRoomsRepository } from './memory-rooms.repository.js';
import { MemoryUploadsRepository } from './memory-uploads.repository.js';
import { MemoryUploadReservations } from './memory-upload-reservations.js';
import { silentLogger } from './silent-logger.js';

/** Tokens `tok-<userId>` sign in as that user; `tok-guest` as a guest. */
export class TokenSessions implements SessionAuthenticator {
  async authenticate(token: string | undefined): Promise<AuthContext | null> {
    if (token === 'tok-guest') return authAs('guest', 'Gus', true);
    return token?.startsWith('tok-') ? authAs(token.slice(4)) : null;
  }
}

/**
 * Media's intake over in-memory reservations (the uploads repository's rows): a quota per user, exactly one
 * finisher per reservation, files whose name starts with `#` refused like a playlist (reservation dropped),
 * the rest accepted (reservation finished, pointing at the media).
 */
export class FakeIntake implements MediaIntake {
  readonly accepted: StagedFile[] = [];
  readonly quota = new Map<string, number>();
  private readonly reservations: MemoryUploadReservations;

  constructor(repo: MemoryUploadsRepository) {
    this.reservations = new MemoryUploadReservations(repo.rows);
  }

  async reserve(r: UploadReservationRequest): Promise<void> {
    const outcome = await this.reservations.reserve(
      { ...r, expiresAt: new Date(Date.now() + 3600_000) },
      this.quota.get(r.userId) ?? Number.POSITIVE_INFINITY,
    );
    if (!outcome.reserved) throw new PayloadTooLargeException('This upload would exceed your storage quota.');
  }

  release(id: string): Promise<void> {
    return this.reservations.release(id);
  }

  async acceptFile(userId: string, roomId: string, file: StagedFile): Promise<MediaView> {
    const id = `media-${this.accepted.length + 1}`;
    if (!(await this.reservations.claim(file.reservationId, id))) throw new NotFoundException('This upload does not exist.');
    if (file.originalname.startsWith('#')) {
      await this.reservations.release(file.reservationId);
      throw new UnsupportedMediaTypeException('This file is not a video we can read (unrecognised format).');
    }
    this.accepted.push(file);
    this.reservations.finish(file.reservationId);
    const now = new Date(0).toISOString();
    return {
      id,
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
  const intake = new FakeIntake(repo);
  const config = loadConfig({ UPLOAD_EXPIRY_HOURS: '1', ...env });
  const service = new UploadsService(repo, new TokenSessions(), new RoomAccessPolicy(rooms), intake, silentLogger);
  return { rooms, repo, intake, config, service };
}
