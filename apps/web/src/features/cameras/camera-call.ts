import type { CameraJoinReply, CameraMedia, CameraPeer, CameraSignalIn, RoomSnapshot } from '@reelroom/contracts';
import type { RequestFailure, RoomSubscriptionHandlers, SendResult } from '../../socket/room-socket';
import { CameraStore, initialCameraState, removePeer, upsertPeer, type DeviceOption } from './camera-store';
import { mediaErrorMessage, withDeadline } from './media-errors';
import { PeerLink, type TrackKind } from './peer-link';
import { SpeakingDetector, loudestBlockRms } from './speaking';

/** What the call needs from the room socket (room-socket.ts), so it can be driven by a fake. */
export interface CallSignalling {
  subscribe(roomId: string, handlers: RoomSubscriptionHandlers): () => void;
  join(media: CameraMedia): Promise<SendResult<CameraJoinReply> | RequestFailure>;
  update(media: CameraMedia): Promise<SendResult<CameraPeer> | RequestFailure>;
  leave(): Promise<unknown>;
  signal(to: string, s: Omit<CameraSignalIn, 'from'>): void;
}

const DEVICE_DEADLINE_MS = 20_000;
const LEVEL_EVERY_MS = 100;
/**
 * Samples read at each level reading: 8192 is 171-186 ms (48 or 44.1 kHz), longer than the 100 ms
 * between readings, so no sound falls between two of them. A window shorter than the interval (it was
 * 43 ms) sees only some phases of a periodic sound: with readings every 100 ms and a beep every 500 ms,
 * a beep that fell in the unseen phases was never seen, for as long as the timer kept its rhythm (one
 * remote person stayed "silent" for a whole minute while the others lit up).
 */
const LEVEL_WINDOW = 8192;
/** The level is the loudest ~21 ms block of the window, so a short syllable is not averaged away. */
const LEVEL_BLOCK = 1024;
const DUCK_KEY = 'reelroom.cameras.duck';
const ME = '';

const constraintOf = (deviceId: string | null): MediaTrackConstraints | boolean => (deviceId ? { deviceId: { exact: deviceId } } : true);

/**
 * The room's call in this tab: local devices, one PeerLink per other participant, the speaking
 * indicator, and the room socket's camera events. State goes to a CameraStore the UI reads.
 *
 * Lifecycle: `join()` asks the browser for camera and microphone (falling back to the microphone alone,
 * or the camera alone, with a notice), then asks the server for a slot; only with a slot does it connect
 * to anyone. A refusal (room full, not allowed) stops the devices and shows the server's sentence.
 * Every failure ends in a clear state: nothing waits forever (device requests have a deadline).
 */
export class CameraCall {
  readonly store: CameraStore;
  private readonly links = new Map<string, PeerLink>();
  private local: MediaStream | null = null;
  private iceServers: CameraJoinReply['iceServers'] = [];
  private unsubscribe: (() => void) | null = null;
  private audio: AudioContext | null = null;
  private readonly meters = new Map<
    string,
    { trackId: string; analyser: AnalyserNode; source: MediaStreamAudioSourceNode; detector: SpeakingDetector }
  >();
  private meterTimer: ReturnType<typeof setInterval> | null = null;
  private generation = 0;
  /** Signals that came before our own camera:join was answered (a faster peer's offer). */
  private readonly early: CameraSignalIn[] = [];

  constructor(
    private readonly roomId: string,
    private readonly signalling: CallSignalling,
    private readonly media: MediaDevices | undefined = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined,
  ) {
    let duck = false;
    try {
      duck = localStorage.getItem(DUCK_KEY) === '1';
    } catch {
      // storage may be unavailable (private mode); ducking then starts off.
    }
    this.store = new CameraStore(initialCameraState(duck));
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.signalling.subscribe(this.roomId, {
      onSnapshot: (s) => this.onSnapshot(s),
      onCameraJoined: (p) => this.onJoined(p),
      onCameraUpdated: (p) => this.store.update((s) => ({ ...s, roster: upsertPeer(s.roster, p) })),
      onCameraLeft: ({ peerId }) => this.onLeft(peerId),
      onCameraSignal: (sig) => void this.onSignal(sig),
      onRoomKicked: () => this.teardown(),
      onRoomClosed: () => this.teardown(),
    });
  }

  /** Unmount: leave the call and stop everything. */
  stop(): void {
    if (this.store.get().status !== 'off') void this.signalling.leave();
    this.teardown();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async join(want: { video: boolean } = { video: true }): Promise<void> {
    const s = this.store.get();
    if (s.status !== 'off') return;
    const gen = ++this.generation;
    this.store.update((st) => ({ ...st, status: 'starting', error: null, notice: null }));
    const got = await this.openDevices(want.video);
    if (gen !== this.generation) return got.stream?.getTracks().forEach((t) => t.stop());
    if (!got.stream) return this.fail(got.error);
    this.local = got.stream;
    this.store.update((st) => ({ ...st, notice: got.notice }));
    await this.enter(gen);
  }

  async leave(): Promise<void> {
    if (this.store.get().status === 'off') return;
    this.teardown();
    await this.signalling.leave();
  }

  async setMuted(muted: boolean): Promise<void> {
    const track = this.local?.getAudioTracks()[0];
    if (!track) return;
    track.enabled = !muted;
    await this.publish();
  }

  /** Camera off stops the camera (its light goes out); on opens it again. */
  async setCamera(on: boolean): Promise<void> {
    if (!this.local) return;
    if (!on) {
      for (const t of this.local.getVideoTracks()) {
        t.stop();
        this.local.removeTrack(t);
      }
      await this.replaceEverywhere('video', null);
    } else {
      const track = await this.openTrack('video', this.store.get().selected.camera);
      if (!track) return;
      this.local.addTrack(track);
      await this.replaceEverywhere('video', track);
    }
    await this.publish();
  }

  /** Switches to another camera or microphone, on every connection, without renegotiating. */
  async selectDevice(kind: TrackKind, deviceId: string): Promise<void> {
    this.store.update((s) => ({ ...s, selected: { ...s.selected, [kind === 'video' ? 'camera' : 'microphone']: deviceId } }));
    if (!this.local) return;
    const old = kind === 'video' ? this.local.getVideoTracks()[0] : this.local.getAudioTracks()[0];
    if (kind === 'video' && !old) return; // camera off: used when it is turned on
    const track = await this.openTrack(kind, deviceId);
    if (!track) return;
    if (old) {
      track.enabled = old.enabled;
      old.stop();
      this.local.removeTrack(old);
    }
    this.local.addTrack(track);
    await this.replaceEverywhere(kind, track);
    if (kind === 'audio') this.meter(ME, this.local);
    this.store.update((s) => ({ ...s, me: { ...s.me, stream: this.local } }));
  }

  setDuck(on: boolean): void {
    try {
      localStorage.setItem(DUCK_KEY, on ? '1' : '0');
    } catch {
      // not remembered; it still applies now
    }
    this.store.update((s) => ({ ...s, duck: on }));
  }

  // --- joining ---------------------------------------------------------------------------------

  private async openDevices(video: boolean): Promise<{ stream: MediaStream | null; error: string; notice: string | null }> {
    if (!this.media?.getUserMedia) return { stream: null, error: mediaErrorMessage({ name: 'TypeError' }), notice: null };
    const { camera, microphone } = this.store.get().selected;
    const ask = (c: MediaStreamConstraints) =>
      withDeadline(this.media!.getUserMedia(c), DEVICE_DEADLINE_MS, (late) => late.getTracks().forEach((t) => t.stop()));
    try {
      return { stream: await ask({ audio: constraintOf(microphone), video: video && constraintOf(camera) }), error: '', notice: null };
    } catch (both) {
      if (!video) return { stream: null, error: mediaErrorMessage(both, 'microphone'), notice: null };
      // Denied is denied for both; a missing or busy device may leave the other one usable.
      const name = (both as { name?: string }).name;
      if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'TimeoutError')
        return { stream: null, error: mediaErrorMessage(both), notice: null };
      try {
        const stream = await ask({ audio: constraintOf(microphone) });
        return { stream, error: '', notice: `${mediaErrorMessage(both, 'camera')} You joined with your microphone only.` };
      } catch {
        try {
          const stream = await ask({ video: constraintOf(camera) });
          return { stream, error: '', notice: `${mediaErrorMessage(both, 'microphone')} You joined with your camera only.` };
        } catch (err) {
          return { stream: null, error: mediaErrorMessage(err), notice: null };
        }
      }
    }
  }

  private async openTrack(kind: TrackKind, deviceId: string | null): Promise<MediaStreamTrack | null> {
    try {
      const s = await withDeadline(this.media!.getUserMedia({ [kind]: constraintOf(deviceId) }), DEVICE_DEADLINE_MS, (late) =>
        late.getTracks().forEach((t) => t.stop()),
      );
      return s.getTracks()[0] ?? null;
    } catch (err) {
      this.store.update((s) => ({ ...s, error: mediaErrorMessage(err, kind === 'video' ? 'camera' : 'microphone') }));
      return null;
    }
  }

  /** Asks the server for a slot with the devices we have, then connects to everyone already in. */
  private async enter(gen: number): Promise<void> {
    const reply = await this.signalling.join(this.currentMedia());
    if (gen !== this.generation) return;
    if (!reply.ok) return this.fail(reply.error);
    this.iceServers = reply.data.iceServers;
    const me = reply.data.peerId;
    this.store.update((s) => ({
      ...s,
      status: 'on',
      error: null,
      me: { ...s.me, peerId: me, ...this.currentMedia(), stream: this.local },
      // The server's list, plus anyone whose camera:joined overtook this answer (the roster follows the
      // room's events, so it holds them), and me.
      roster: upsertPeer(
        s.roster.reduce((r, p) => (r.some((q) => q.peerId === p.peerId) ? r : [...r, p]), reply.data.peers),
        s.roster.find((p) => p.peerId === me) ?? { peerId: me, userId: '', name: '', ...this.currentMedia() },
      ),
    }));
    if (this.local) this.meter(ME, this.local);
    void this.refreshDevices();
    for (const p of this.store.get().roster) if (p.peerId !== me) this.link(p.peerId);
    // Offers that arrived while we were still waiting for our slot.
    for (const sig of this.early.splice(0)) void this.onSignal(sig);
  }

  private fail(error: string): void {
    this.teardown();
    this.store.update((s) => ({ ...s, error }));
  }

  private currentMedia(): CameraMedia {
    const a = this.local?.getAudioTracks()[0];
    return { audio: !!a && a.enabled, video: (this.local?.getVideoTracks().length ?? 0) > 0 };
  }

  private async publish(): Promise<void> {
    const media = this.currentMedia();
    this.store.update((s) => ({ ...s, me: { ...s.me, ...media, stream: this.local } }));
    if (this.store.get().status === 'on') {
      const r = await this.signalling.update(media);
      if (!r.ok) this.store.update((s) => ({ ...s, error: r.error }));
    }
  }

  private async refreshDevices(): Promise<void> {
    if (!this.media?.enumerateDevices) return;
    const all = await this.media.enumerateDevices().catch(() => []);
    const of = (kind: MediaDeviceKind): DeviceOption[] =>
      all
        .filter((d) => d.kind === kind)
        .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${kind === 'videoinput' ? 'Camera' : 'Microphone'} ${i + 1}` }));
    const current = (kind: TrackKind) =>
      (kind === 'video' ? this.local?.getVideoTracks()[0] : this.local?.getAudioTracks()[0])?.getSettings().deviceId ?? null;
    this.store.update((s) => ({
      ...s,
      devices: { cameras: of('videoinput'), microphones: of('audioinput') },
      selected: { camera: s.selected.camera ?? current('video'), microphone: s.selected.microphone ?? current('audio') },
    }));
  }

  // --- the room's events -------------------------------------------------------------------------

  private onSnapshot(snap: RoomSnapshot): void {
    const wasOn = this.store.get().status === 'on';
    this.store.update((s) => ({ ...s, roster: snap.cameras.peers, limit: snap.cameras.limit }));
    // A new connection is a new peer id: the server freed the old slot when the old socket went away.
    // Reconnect everything under the new one, with the devices we still hold.
    if (wasOn && this.local) {
      for (const l of this.links.values()) l.close();
      this.links.clear();
      this.store.update((s) => ({ ...s, remote: {}, status: 'starting' }));
      void this.enter(this.generation);
    }
  }

  private onJoined(peer: CameraPeer): void {
    this.store.update((s) => ({ ...s, roster: upsertPeer(s.roster, peer) }));
    const me = this.store.get().me.peerId;
    if (this.store.get().status === 'on' && me && peer.peerId !== me) this.link(peer.peerId);
  }

  private onLeft(peerId: string): void {
    this.store.update((s) => ({ ...s, roster: removePeer(s.roster, peerId) }));
    if (peerId === this.store.get().me.peerId) {
      // The server took us out (a kick, or our slot's lease ran out): stop sending at once.
      this.teardown();
      return;
    }
    this.links.get(peerId)?.close();
    this.links.delete(peerId);
    this.unmeter(peerId);
    this.store.dropRemote(peerId);
  }

  private async onSignal(sig: CameraSignalIn): Promise<void> {
    const status = this.store.get().status;
    if (status === 'starting' && this.local) {
      this.early.push(sig);
      return;
    }
    if (status !== 'on') return;
    const link = this.links.get(sig.from) ?? this.link(sig.from, false);
    try {
      await link.handle(sig);
    } catch {
      this.store.setRemote(sig.from, { connection: 'failed' });
    }
  }

  private link(peerId: string, start = true): PeerLink {
    const existing = this.links.get(peerId);
    if (existing) return existing;
    const link = new PeerLink({
      myPeerId: this.store.get().me.peerId!,
      peerId,
      iceServers: this.iceServers,
      localTrack: (kind) => (kind === 'video' ? this.local?.getVideoTracks()[0] : this.local?.getAudioTracks()[0]) ?? null,
      send: (s) => this.signalling.signal(peerId, s),
      onStream: (stream) => {
        this.store.setRemote(peerId, { stream });
        if (stream.getAudioTracks().length > 0) this.meter(peerId, stream);
      },
      onConnection: (connection) => this.store.setRemote(peerId, { connection }),
    });
    this.links.set(peerId, link);
    this.store.setRemote(peerId, {});
    if (start) link.start().catch(() => this.store.setRemote(peerId, { connection: 'failed' }));
    return link;
  }

  private async replaceEverywhere(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.setTrack(kind, track).catch(() => undefined)));
  }

  // --- speaking indicator ------------------------------------------------------------------------

  private meter(id: string, stream: MediaStream): void {
    const track = stream.getAudioTracks()[0];
    if (typeof AudioContext === 'undefined' || !track) return;
    // A remote stream is announced again when its video track arrives: keep the analyser of the same
    // microphone rather than tearing it down and building another on the same track.
    if (this.meters.get(id)?.trackId === track.id) return;
    this.unmeter(id);
    this.audio ??= new AudioContext();
    void this.audio.resume().catch(() => undefined);
    const source = this.audio.createMediaStreamSource(stream);
    const analyser = this.audio.createAnalyser();
    analyser.fftSize = LEVEL_WINDOW;
    source.connect(analyser);
    this.meters.set(id, { trackId: track.id, analyser, source, detector: new SpeakingDetector() });
    this.meterTimer ??= setInterval(() => this.readLevels(), LEVEL_EVERY_MS);
  }

  private unmeter(id: string): void {
    const m = this.meters.get(id);
    if (!m) return;
    m.source.disconnect();
    this.meters.delete(id);
  }

  private readLevels(): void {
    const now = performance.now();
    const buf = new Float32Array(LEVEL_WINDOW);
    for (const [id, m] of this.meters) {
      m.analyser.getFloatTimeDomainData(buf);
      const speaking = m.detector.push(loudestBlockRms(buf, LEVEL_BLOCK), now);
      if (id === ME) {
        const heard = speaking && this.currentMedia().audio;
        if (heard !== this.store.get().me.speaking) this.store.update((s) => ({ ...s, me: { ...s.me, speaking: heard } }));
      } else this.store.setRemote(id, { speaking });
    }
  }

  // --- teardown ----------------------------------------------------------------------------------

  private teardown(): void {
    this.generation++;
    this.early.length = 0;
    for (const l of this.links.values()) l.close();
    this.links.clear();
    for (const id of [...this.meters.keys()]) this.unmeter(id);
    if (this.meterTimer) clearInterval(this.meterTimer);
    this.meterTimer = null;
    void this.audio?.close().catch(() => undefined);
    this.audio = null;
    for (const t of this.local?.getTracks() ?? []) t.stop();
    this.local = null;
    this.store.update((s) => {
      const me = s.me.peerId;
      return {
        ...s,
        status: 'off',
        me: { peerId: null, audio: false, video: false, stream: null, speaking: false },
        remote: {},
        roster: me ? removePeer(s.roster, me) : s.roster,
      };
    });
  }
}
