/**
 * The socket.io rooms ("channels") sockets join, named here and nowhere else. With the Redis adapter a
 * broadcast to a channel reaches its sockets on every API process.
 */

/** Everyone in a watch party. */
export const roomChannel = (roomId: string) => `room:${roomId}`;
/** All sockets of one user, whatever room. */
export const userChannel = (userId: string) => `user:${userId}`;
/** One member's sockets in one room: kick and room:you target it. */
export const memberChannel = (roomId: string, userId: string) => `room:${roomId}:user:${userId}`;
/** Every socket opened with one session: revoking the session disconnects them (SessionSockets). */
export const sessionChannel = (sessionId: string) => `session:${sessionId}`;
/**
 * One socket, on whatever API process it is connected to: socket.io puts every socket in a channel
 * named by its id. The camera relay (issue 13) sends a peer's signals there, after checking both ends.
 */
export const peerChannel = (socketId: string) => socketId;
