import { Inject, Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RetryLaterException } from '../common/rate-limit/retry-later.exception.js';
import { Semaphore, SemaphoreFullError } from '../common/rate-limit/semaphore.js';
import { PasswordHasher } from './password.hasher.js';

// OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1.
const PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * A hash of a fixed dummy password, verified when the email is unknown so that a sign-in for a missing
 * account costs the same time as a wrong password (no account enumeration through timing).
 */
let dummyHash: Promise<string> | undefined;

/**
 * argon2id for passwords and PINs. At most PASSWORD_HASH_CONCURRENCY hashes run at once per process
 * (argon2 shares libuv's thread pool with file I/O: 500 parallel sign-ins slowed /api/health from 5 ms
 * to 400 ms); PASSWORD_HASH_QUEUE more wait, and beyond that the request is answered 429 at once.
 */
@Injectable()
export class Argon2PasswordHasher extends PasswordHasher {
  private readonly slots: Semaphore;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'passwordHashConcurrency' | 'passwordHashQueue'>) {
    super();
    this.slots = new Semaphore(config.passwordHashConcurrency, config.passwordHashQueue);
  }

  hash(password: string): Promise<string> {
    return this.limited(() => hash(password, PARAMS));
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.limited(() => verify(passwordHash, password).catch(() => false));
  }

  async burn(password: string): Promise<void> {
    dummyHash ??= hash('reelroom-dummy-password', PARAMS);
    const dummy = await dummyHash;
    await this.verify(dummy, password);
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.run(task);
    } catch (err) {
      if (err instanceof SemaphoreFullError)
        throw new RetryLaterException('The server is busy checking passwords; try again in a few seconds.', 5_000);
      throw err;
    }
  }
}
