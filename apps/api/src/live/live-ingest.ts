/** One accepted publisher, as the ingest server hands it to LiveService. */
export interface IngestPublish {
  /** Internal stream name the transcoder reads (random, per live); never the user's stream key. */
  readonly ingestName: string;
  /** Disconnects the publisher (refused after the fact, or the live was ended by the host). */
  close(): void;
}

/** What the ingest server asks and tells the live rules. */
export interface PublishHandler {
  /**
   * Synchronous (node-media-server's events cannot wait): may this stream key publish now? True accepts
   * the publisher; the handler then confirms asynchronously and may still close it.
   */
  publishing(streamKey: string, publish: IngestPublish): boolean;
  /** The accepted publisher's connection closed (a clean unpublish or a drop). */
  unpublished(publish: IngestPublish): void;
  /** May a reader (the live transcoder) play this internal stream name? Synchronous too. */
  playable(ingestName: string): boolean;
}

/**
 * The RTMP ingest port: RtmpIngest (node-media-server) implements it; LiveService depends on it only, so
 * nothing else knows node-media-server and the service specs use a fake.
 */
export abstract class LiveIngest {
  /** Installs the rules; called once by LiveService at start-up. */
  abstract attach(handler: PublishHandler): void;
  /** Where a transcoder reads this live: rtmp://<pull host>:<port>/live/<ingestName>. */
  abstract ingestUrl(ingestName: string): string;
  /** False when RTMP_PORT=0: the API takes no publishers. */
  abstract readonly enabled: boolean;
}
