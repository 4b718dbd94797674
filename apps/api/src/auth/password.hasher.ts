import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1.
const PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * A hash of a fixed dummy password, verified when the email is unknown so that a sign-in for a missing
 * account costs the same time as a wrong password (no account enumeration through timing).
 */
let dummyHash: Promise<string> | undefined;

@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, PARAMS);
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password).catch(() => false);
  }

  async burn(password: string): Promise<void> {
    dummyHash ??= hash('reelroom-dummy-password', PARAMS);
    await this.verify(await dummyHash, password);
  }
}
