/**
 * How revoking a session reaches the sockets opened with it: on every API process at once (through the
 * socket.io adapter), so a signed-out socket cannot go on chatting or sending playback commands. The
 * realtime module implements it (SocketSessionDisconnector); auth depends only on this port.
 */
export abstract class SessionSockets {
  /** Disconnects every socket opened with this session. */
  abstract disconnectSession(sessionId: string): void;
  /** Disconnects every socket of this user, whatever the session ("sign out everywhere"). */
  abstract disconnectUser(userId: string): void;
}
