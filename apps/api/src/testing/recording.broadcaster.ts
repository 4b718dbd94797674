import type { BroadcastScope, RoomBroadcaster, ServerEvent, ServerPayload } from '../common/ports/room-broadcaster.js';

export interface Sent {
  roomId: string;
  /** Set for toMember. */
  userId?: string;
  event: ServerEvent;
  payload: unknown;
  scope: BroadcastScope;
}

/** RoomBroadcaster that records what it was asked to send and whom to disconnect, in order. */
export class RecordingBroadcaster implements RoomBroadcaster {
  readonly sent: Sent[] = [];
  readonly disconnected: Array<{ roomId: string; userId?: string }> = [];
  /** Everything in one timeline: `event` or `disconnect`, to tell what came first. */
  readonly timeline: string[] = [];

  toRoom<E extends ServerEvent>(roomId: string, event: E, payload: ServerPayload<E>, scope: BroadcastScope = 'cluster'): void {
    this.sent.push({ roomId, event, payload, scope });
    this.timeline.push(event);
  }

  toMember<E extends ServerEvent>(roomId: string, userId: string, event: E, payload: ServerPayload<E>): void {
    this.sent.push({ roomId, userId, event, payload, scope: 'cluster' });
    this.timeline.push(event);
  }

  disconnectRoom(roomId: string): void {
    this.disconnected.push({ roomId });
    this.timeline.push('disconnect');
  }

  disconnectMember(roomId: string, userId: string): void {
    this.disconnected.push({ roomId, userId });
    this.timeline.push('disconnect');
  }

  /** The payloads sent with this event, in order. */
  payloads<E extends ServerEvent>(event: E): Array<ServerPayload<E>> {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload as ServerPayload<E>);
  }
}
