import type { KnownDevices } from '../auth/throttle/known-devices.js';

/** KnownDevices in memory. */
export class MemoryKnownDevices implements KnownDevices {
  readonly known = new Set<string>();
  async remember(accountKey: string, deviceId: string): Promise<void> {
    this.known.add(`${accountKey}:${deviceId}`);
  }
  async knows(accountKey: string, deviceId: string): Promise<boolean> {
    return this.known.has(`${accountKey}:${deviceId}`);
  }
}
