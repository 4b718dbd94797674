import type { SessionSockets } from '../common/ports/session-sockets.js';

/** SessionSockets that records what would have been disconnected. */
export class RecordingSessionSockets implements SessionSockets {
  readonly sessions: string[] = [];
  readonly users: string[] = [];
  disconnectSession(sessionId: string): void {
    this.sessions.push(sessionId);
  }
  disconnectUser(userId: string): void {
    this.users.push(userId);
  }
}
