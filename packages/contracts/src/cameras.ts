import { z } from 'zod';

/**
 * Cameras and voices beside the player (issue 13): a WebRTC mesh between the people in a room who turned
 * their camera or microphone on, signalled over the room's socket. The server relays offers, answers and
 * ICE candidates between call participants of the same room; media never passes through it.
 */

/** A call participant is one socket (one browser tab): its socket.io id, 20 base64url characters today. */
export const cameraPeerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a peer id');

/** What a participant sends right now: the microphone (unmuted) and the camera (on). */
export const cameraMediaSchema = z.object({ audio: z.boolean(), video: z.boolean() });
export type CameraMedia = z.infer<typeof cameraMediaSchema>;

/**
 * An SDP offer or answer. Chromium's audio+video offer measured 5,188 characters and its answer 4,737 (more
 * codecs or candidates grow them); the socket's frames are capped at 16 KB.
 */
export const sessionDescriptionSchema = z.object({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().min(1).max(14_000),
});

export const iceCandidateSchema = z.object({
  candidate: z.string().max(1024),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
export type IceCandidate = z.infer<typeof iceCandidateSchema>;

/**
 * One signalling message to one participant of the same room's call: a description, candidates (the
 * client batches them, so trickle ICE stays far below the socket's flood guard), or both.
 */
export const cameraSignalSchema = z
  .object({
    to: cameraPeerIdSchema,
    description: sessionDescriptionSchema.optional(),
    candidates: z.array(iceCandidateSchema).max(32).optional(),
  })
  .refine((s) => s.description !== undefined || (s.candidates?.length ?? 0) > 0, 'a signal needs a description or candidates');
export type CameraSignal = z.infer<typeof cameraSignalSchema>;

/** A relayed signal, as the target receives it: `from` is set by the server, never by the sender. */
export interface CameraSignalIn {
  from: string;
  description?: z.infer<typeof sessionDescriptionSchema>;
  candidates?: IceCandidate[];
}

/** One participant of a room's call. */
export interface CameraPeer {
  peerId: string;
  userId: string;
  name: string;
  audio: boolean;
  video: boolean;
}

/** Who is on camera in the room (join snapshot), and how many may be. */
export interface CameraRoster {
  peers: CameraPeer[];
  /** CAMERA_LIMIT: 0 means cameras are off on this server. */
  limit: number;
}

/** A STUN or TURN server as RTCPeerConnection takes it (ICE_SERVERS). */
const iceUrl = z.string().regex(/^(stun|stuns|turn|turns):[^\s]+$/, 'must be a stun:, stuns:, turn: or turns: URL');
export const iceServerSchema = z.strictObject({
  urls: z.union([iceUrl, z.array(iceUrl).min(1).max(8)]),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
});
export const iceServersSchema = z.array(iceServerSchema).max(8);
export type IceServer = z.infer<typeof iceServerSchema>;

/** The answer to `camera:join`: your peer id, who else is on, and the ICE servers to use. */
export interface CameraJoinReply {
  peerId: string;
  peers: CameraPeer[];
  iceServers: IceServer[];
  limit: number;
}

/** Why a participant left the call, for the others. */
export type CameraLeftReason = 'left' | 'removed';

/** The sentence a full room answers; the UI shows it as it is. */
export const cameraRoomFull = (limit: number) =>
  `The room has ${limit} camera${limit === 1 ? '' : 's'} on; try again when someone turns theirs off.`;
export const CAMERAS_DISABLED = 'Cameras are turned off on this server.';
export const CAMERA_FIRST = 'Turn your camera or microphone on first.';
export const CAMERA_PEER_GONE = 'That person is not on camera in this room.';
