// The benches' socket.io request helper (the load and fan-out drivers run it for every join and message).

/**
 * Emits `event` and resolves with the server's acknowledgement, or with `{ ok: false, error }` when none
 * came within `timeoutMs`: a bench counts a lost ack as a failed request instead of stopping on it.
 */
export function emitAck(socket, event, payload, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    socket
      .timeout(timeoutMs)
      .emit(event, payload, (err, reply) => resolve(err ? { ok: false, error: `ack timeout (${err.message})` } : reply));
  });
}
