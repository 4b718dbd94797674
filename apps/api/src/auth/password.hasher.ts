/**
 * Hashes and checks passwords and room PINs (Argon2PasswordHasher in production; specs pass a fake).
 * `burn` costs what a verification costs, for paths that must not answer faster when nothing matched.
 */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(passwordHash: string, password: string): Promise<boolean>;
  abstract burn(password: string): Promise<void>;
}
