import type { CameraSignalIn, IceCandidate, IceServer } from '@reelroom/contracts';
import { CandidateBatcher, candidateOf, makesOffer } from './negotiation';

export type TrackKind = 'audio' | 'video';

export interface PeerLinkOptions {
  myPeerId: string;
  peerId: string;
  iceServers: IceServer[];
  /** My current track of a kind (null: none, e.g. camera off). */
  localTrack: (kind: TrackKind) => MediaStreamTrack | null;
  send: (signal: { description?: { type: 'offer' | 'answer'; sdp: string }; candidates?: IceCandidate[] }) => void;
  onStream: (stream: MediaStream) => void;
  onConnection: (state: string) => void;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

const KINDS: TrackKind[] = ['audio', 'video'];

/**
 * One RTCPeerConnection to one other participant. The lower peer id offers (negotiation.ts), once, with
 * an audio and a video transceiver; the other side answers with its own tracks on the same transceivers.
 * Candidates that arrive before the remote description are held until it is set. Remote tracks are
 * gathered into one MediaStream for the tile.
 */
export class PeerLink {
  private readonly pc: RTCPeerConnection;
  private readonly batcher: CandidateBatcher;
  private readonly early: IceCandidate[] = [];
  private readonly remote = new MediaStream();
  private closed = false;

  constructor(private readonly o: PeerLinkOptions) {
    const create = o.createPeerConnection ?? ((c: RTCConfiguration) => new RTCPeerConnection(c));
    this.pc = create({ iceServers: o.iceServers });
    this.batcher = new CandidateBatcher((candidates) => o.send({ candidates }));
    this.pc.onicecandidate = (e) => {
      if (e.candidate?.candidate) this.batcher.add(candidateOf(e.candidate));
      else this.batcher.flush();
    };
    this.pc.ontrack = (e) => {
      if (!this.remote.getTracks().includes(e.track)) this.remote.addTrack(e.track);
      o.onStream(this.remote);
    };
    this.pc.onconnectionstatechange = () => o.onConnection(this.pc.connectionState);
  }

  get peerId(): string {
    return this.o.peerId;
  }

  /** Sends the offer when this side is the one that offers; otherwise waits for theirs. */
  async start(): Promise<void> {
    if (!makesOffer(this.o.myPeerId, this.o.peerId)) return;
    for (const kind of KINDS) this.pc.addTransceiver(this.o.localTrack(kind) ?? kind, { direction: 'sendrecv' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    if (this.closed || !this.pc.localDescription) return;
    this.o.send({ description: { type: 'offer', sdp: this.pc.localDescription.sdp } });
  }

  async handle(signal: CameraSignalIn): Promise<void> {
    if (this.closed) return;
    const d = signal.description;
    if (d?.type === 'offer') {
      await this.pc.setRemoteDescription(d);
      for (const t of this.pc.getTransceivers()) {
        const kind = t.receiver.track.kind as TrackKind;
        t.direction = 'sendrecv';
        await t.sender.replaceTrack(this.o.localTrack(kind));
      }
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      if (this.closed || !this.pc.localDescription) return;
      this.o.send({ description: { type: 'answer', sdp: this.pc.localDescription.sdp } });
    } else if (d?.type === 'answer') {
      await this.pc.setRemoteDescription(d);
    }
    if (d) for (const c of this.early.splice(0)) await this.addCandidate(c);
    for (const c of signal.candidates ?? []) {
      if (this.pc.remoteDescription) await this.addCandidate(c);
      else this.early.push(c);
    }
  }

  /** A new camera or microphone, or none (camera off): no renegotiation, the transceiver stays. */
  async setTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    for (const t of this.pc.getTransceivers()) {
      if (t.receiver.track.kind === kind && t.currentDirection !== 'stopped') await t.sender.replaceTrack(track);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.batcher.cancel();
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    for (const t of this.remote.getTracks()) t.stop();
  }

  private async addCandidate(c: IceCandidate): Promise<void> {
    // A candidate the browser cannot use (another network's) is not worth failing the call over.
    await this.pc.addIceCandidate(c).catch(() => undefined);
  }
}
