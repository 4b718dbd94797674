/** One publisher's connection, as the ingest server hands it to LiveService. */
export interface IngestConnection {
  /** Disconnects the publisher (refused after the fact, or the live was ended by the host). */
  close(): void;
}

/** What the ingest server asks and tells the live rules. */
export interface PublishHandler {
  /**
   * Synchronous (node-media-server's events cannot wait): may this stream key publish now? Answers the
   * internal stream name to register the publisher under (a new one, or the live's own name when an
   * encoder comes back within the reconnect grace), or null to refuse. The handler then confirms
   * asynchronously and may still close the connection.
   */
  publishing(streamKey: string, connection: IngestConnection): string | null;
  /**
   * The publisher's connection closed: `clean` after an RTMP deleteStream (OBS "Stop Streaming", ffmpeg's
   * end), not after a drop.
   */
  unpublished(ingestName: string, connection: IngestConnection, clean: boolean): void;
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
  /** Where a publisher in this very process (the browser relay) publishes with this key: loopback when the server listens on every address. */
  abstract publishUrl(streamKey: string): string;
  /** The live is over: its readers (the transcoder's ffmpeg) get the end of the stream now. */
  abstract endStream(ingestName: string): void;
  /** False when RTMP_PORT=0: the API takes no publishers. */
  abstract readonly enabled: boolean;
}
