// Types of advisories.mjs, for its spec and type-checked lint.
export interface Advisory {
  package: string;
  vulnerable: string;
  id: string;
  summary: string;
}
export interface Lockfile {
  packages?: Record<string, { version?: string; name?: string; link?: boolean }>;
}
export interface InstalledPackage {
  name: string;
  version: string;
  path: string;
}
export function parseVersion(v: string): [number, number, number] | null;
export function satisfies(version: string, range: string): boolean;
export function installedPackages(lock: Lockfile): InstalledPackage[];
export function findVulnerable(lock: Lockfile, advisories: Advisory[]): Array<InstalledPackage & { advisory: Advisory }>;
