/** The two counters of a PIN gate: one per (room, address), one for the whole room. */
export interface PinKeys {
  address: string;
  room: string;
}

export interface PinLimits {
  perAddress: number;
  perRoom: number;
  windowSec: number;
}

/**
 * A reserved PIN attempt. `repeat`: this address had already failed (or has another attempt in flight),
 * so the attempt also holds a place in the room-wide budget.
 */
export type PinReservation = { ok: true; repeat: boolean } | { ok: false; retryAfterSec: number };

/** How a reserved attempt ended: a right PIN gives its places back; a refusal that says nothing about the PIN (a ban) gives back its room place. */
export type PinOutcome = 'right' | 'wrong' | 'not-counted';

/**
 * PIN attempt reservations and token buckets shared by every API process (RedisLimitStore): PINs per
 * address and per room, chat messages and playback commands per user. An abstract class so Nest can
 * inject it and unit specs can pass an in-memory one.
 */
export abstract class LimitStore {
  /**
   * Reserves one PIN attempt before the PIN is checked (one Redis script: concurrent guesses cannot
   * exceed the limits). An address that used up PIN_FAILS_PER_IP is refused; an address that already
   * failed is refused while the room's budget of repeat failures (PIN_FAILS_PER_ROOM) is spent; a fresh
   * address always gets its first try, so the person who knows the PIN still gets in during an attack.
   */
  abstract reservePinAttempt(keys: PinKeys, limits: PinLimits): Promise<PinReservation>;
  /** Settles a reserved attempt (see PinOutcome). */
  abstract settlePinAttempt(keys: PinKeys, repeat: boolean, outcome: PinOutcome): Promise<void>;
  /** Takes one token from the bucket `key` (burst, then perSec per second); refused ones say how long to wait. */
  abstract take(key: string, burst: number, perSec: number): Promise<{ ok: boolean; retryAfterMs: number }>;
}
