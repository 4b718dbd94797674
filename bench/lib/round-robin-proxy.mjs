// A TCP load balancer for benchmarks: each new connection goes to the next backend in turn, skipping one
// that refuses (what nginx or HAProxy do with a failed upstream). socket.io over WebSocket needs no sticky
// sessions: one TCP connection carries the whole session. Plain ESM, like the benches that use it.
import { connect, createServer } from 'node:net';

/** Listens on 127.0.0.1 (a free port); `backends` is a live array of ports, so a bench may change it. */
export function roundRobinProxy(backends) {
  let next = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    client.pause();
    const attempt = (tries) => {
      if (tries >= backends.length) return void client.destroy();
      const port = backends[next++ % backends.length];
      const upstream = connect({ port, host: '127.0.0.1' });
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        // As nginx's tcp_nodelay: without it Nagle holds a small frame back while an earlier one is
        // unacknowledged (up to the peer's delayed ACK, ~40 ms), a delay the proxy would add to p99.
        upstream.setNoDelay(true);
        client.setNoDelay(true);
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
      });
      // A refused connection (a dead backend) tries the next one; a broken one ends the client's.
      upstream.once('error', () => (connected ? client.destroy() : attempt(tries + 1)));
      upstream.once('close', () => connected && client.destroy());
      client.once('close', () => upstream.destroy());
    };
    attempt(0);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}
