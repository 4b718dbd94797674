import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP load balancer in the way nginx (without active health checks) behaves: each new connection goes
 * to the first upstream that accepts it, in order, so a process that closed its listener is skipped.
 * Stands in for the proxy in front of several API processes when one of them shuts down.
 */
export async function failoverProxy(ports: number[]): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    track(client);
    client.pause();
    client.on('error', () => client.destroy());
    const tryUpstream = (i: number) => {
      if (i >= ports.length || client.destroyed) return void client.destroy();
      const upstream = connect(ports[i], '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        upstream.destroy();
        if (connected) client.destroy();
        else tryUpstream(i + 1);
      });
      // A refused upstream closes too: only a connected one takes the client down with it.
      upstream.on('close', () => {
        if (connected) client.destroy();
      });
    };
    tryUpstream(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
