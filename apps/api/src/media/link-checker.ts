/**
 * The check a pasted link passes before anything is queued: URL policy (scheme, port, credentials,
 * length), DNS, and every address the name resolves to. Throws @reelroom/fetch's FetchError with a
 * sentence. A port so MediaImportService's spec needs no DNS; SafeLinkChecker is the implementation.
 */
export abstract class LinkChecker {
  abstract check(url: string): Promise<void>;
}
