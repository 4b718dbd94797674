import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * A real HTTP(S) server on a loopback address for the fetcher's tests. It counts TCP connections (the
 * proof that a refused target was never reached) and records the paths asked for.
 */
export class TestHttpServer {
  connections = 0;
  readonly paths: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly scheme: 'http' | 'https',
  ) {}

  static async start(
    host: string,
    routes: Record<string, Route>,
    options: { port?: number; tls?: TlsMaterial } = {},
  ): Promise<TestHttpServer> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const path = req.url ?? '/';
      const route = routes[path.split('?')[0]];
      holder.server?.paths.push(path);
      if (route) route(req, res);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    };
    const holder: { server?: TestHttpServer } = {};
    const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const s = new TestHttpServer(server, host, address.port, options.tls ? 'https' : 'http');
    holder.server = s;
    server.on('connection', (socket: Socket) => {
      s.connections++;
      s.sockets.add(socket);
      socket.on('close', () => s.sockets.delete(socket));
    });
    return s;
  }

  url(path: string, hostname = this.host): string {
    return `${this.scheme}://${hostname}:${this.port}${path}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
