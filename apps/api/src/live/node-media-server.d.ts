// The parts of node-media-server 4.4.3 (CommonJS, no typings) that rtmp-ingest.ts uses. Read in
// node_modules/node-media-server/src: session/rtmp_session.js, server/broadcast_server.js, core/context.js,
// core/logger.js. Pinned exactly in package.json: these are internals, checked again on every upgrade.

declare module 'node-media-server/src/session/rtmp_session.js' {
  import type { Socket } from 'node:net';

  interface ConnectRequest {
    app: string;
    name: string;
    host: string;
    query: Record<string, unknown>;
  }
  interface InvokeMessage {
    streamName: string;
  }
  class RtmpSession {
    constructor(socket: Socket);
    readonly id: string;
    readonly socket: Socket;
    streamPath: string;
    /** The RTMP protocol state machine; `publish` and `play` commands call these, then onConnect. */
    rtmp: { onPublish(msg: InvokeMessage): void; onPlay(msg: InvokeMessage): void; onDeleteStream(msg: InvokeMessage): void };
    /** Called with the stream's app and name before the publish or play is registered. */
    onConnect: (req: ConnectRequest) => void;
    run(): void;
    close(): void;
  }
  export = RtmpSession;
}

declare module 'node-media-server/src/core/context.js' {
  interface Subscriber {
    close(): void;
  }
  interface Broadcast {
    subscribers: Map<string, Subscriber>;
  }
  const Context: { broadcasts: Map<string, Broadcast>; sessions: Map<string, unknown> };
  export = Context;
}

declare module 'node-media-server/src/core/logger.js' {
  const logger: { level: string; log(message: string, logLevel?: string): void };
  export = logger;
}
