/**
 * The shared state of advancing the queue (RedisSkipVoteStore), across API processes:
 * - a per-room generation: every advance (end of an item, a skip, a vote) first claims the generation it
 *   read, and only the one claimer acts. Two processes seeing the same end, votes crossing the threshold
 *   at once, or a skip during a vote move the queue on once (reserve, then act).
 * - the skip votes of the current generation on the playing media: a set of voters, so a vote counts once.
 */
export abstract class SkipVoteStore {
  abstract generation(roomId: string): Promise<number>;
  /** Moves the generation from `gen` to `gen + 1`; true only for the one caller that did. Atomic. */
  abstract claim(roomId: string, gen: number): Promise<boolean>;
  /** Records the vote (idempotent per voter) and returns everyone who voted on this media in this generation. Atomic. */
  abstract vote(roomId: string, gen: number, mediaId: string, userId: string): Promise<string[]>;
  abstract voters(roomId: string, gen: number, mediaId: string): Promise<string[]>;
}
