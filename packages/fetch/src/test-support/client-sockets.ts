import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/**
 * Counts TCP client sockets this process creates, through node's built-in `net.client.socket` channel:
 * the fetcher's own view of "did we try to connect at all", independent of any server.
 */
export function countClientSockets(): { readonly count: number; stop(): void } {
  let count = 0;
  const onSocket = () => {
    count++;
  };
  subscribe('net.client.socket', onSocket);
  return {
    get count() {
      return count;
    },
    stop: () => unsubscribe('net.client.socket', onSocket),
  };
}
