import { BROWSER_MAX_UNSENT_MS, BROWSER_PUBLISH_SENTENCES, BROWSER_TIMESLICE_MS, type BrowserPublishMessage } from '@reelroom/contracts';
import { mediaErrorMessage, withDeadline } from '../cameras/media-errors';
import { pickRecorderMime, publishSocketUrl, RateMeter, unsentMs, type BrowserLiveStatus } from './browser-live-core';
import { publishOverWhip, type WhipPublish } from './whip-publisher';

export interface DeviceChoice {
  deviceId: string;
  label: string;
}

export interface BrowserLiveState {
  status: BrowserLiveStatus;
  stream: MediaStream | null;
  muted: boolean;
  cameras: DeviceChoice[];
  microphones: DeviceChoice[];
  camera: string | null;
  microphone: string | null;
  /** Why it stopped or could not start, as a sentence. */
  error: string | null;
  /** How this live reaches the server: WebRTC (WHIP), or recorder chunks over the publish socket. */
  transport: 'webrtc' | 'recorder' | null;
}

const INITIAL: BrowserLiveState = {
  status: 'off',
  stream: null,
  muted: false,
  cameras: [],
  microphones: [],
  camera: null,
  microphone: null,
  error: null,
  transport: null,
};

const DEVICE_DEADLINE_MS = 15_000;
const NO_RECORDER = 'This browser cannot record video for a live. Use a current Chrome, Edge, Firefox or Safari, or stream from OBS.';
const CONNECTION_LOST = 'The connection to the server was lost, so going live stopped.';

/**
 * Going live from this browser (the host): the camera preview with device pickers and mute, then WebRTC
 * (WHIP: the nearer path, 0.3-0.5 s less behind in low-latency mode), or, where WebRTC is not there or
 * cannot connect, MediaRecorder chunks over the publish WebSocket (the server relays either into the
 * room's live). Lives
 * outside React (one per room page), so closing the Go live panel does not stop a running live; the room
 * page stops it when it unmounts. A send buffer holding more than BROWSER_MAX_UNSENT_MS of recording
 * means the upload cannot keep up: it stops and says so rather than falling further behind.
 */
export class BrowserLive {
  private state: BrowserLiveState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private recorder: MediaRecorder | null = null;
  private socket: WebSocket | null = null;
  private whip: WhipPublish | null = null;
  /**
   * The current go-live, from Go live to its end: aborted by the stop (or leaving, or the loss) that ends
   * it, also while WHIP still connects; a WHIP attempt or a lost-connection call of an aborted one is ignored.
   */
  private attempt: AbortController | null = null;
  private readonly rate = new RateMeter();

  constructor(private readonly roomId: string) {}

  get = (): BrowserLiveState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Opens the camera and microphone (the chosen ones, or the defaults) for the preview. */
  async open(): Promise<void> {
    const media = navigator.mediaDevices as MediaDevices | undefined;
    if (!media?.getUserMedia) return this.set({ error: mediaErrorMessage({ name: 'TypeError' }) });
    this.set({ status: 'opening', error: null });
    const { camera, microphone } = this.state;
    try {
      const stream = await withDeadline(
        media.getUserMedia({
          video: {
            ...(camera ? { deviceId: { exact: camera } } : {}),
            width: { ideal: 1280 },
            height: { ideal: 720 },
            frameRate: { ideal: 30 },
          },
          audio: microphone ? { deviceId: { exact: microphone } } : true,
        }),
        DEVICE_DEADLINE_MS,
        (late) => late.getTracks().forEach((t) => t.stop()),
      );
      this.state.stream?.getTracks().forEach((t) => t.stop());
      stream.getAudioTracks().forEach((t) => (t.enabled = !this.state.muted));
      const all = await media.enumerateDevices().catch(() => []);
      const of = (kind: MediaDeviceKind, name: string) =>
        all.filter((d) => d.kind === kind).map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${name} ${i + 1}` }));
      this.set({
        status: 'preview',
        stream,
        cameras: of('videoinput', 'Camera'),
        microphones: of('audioinput', 'Microphone'),
        camera: stream.getVideoTracks()[0]?.getSettings().deviceId ?? camera,
        microphone: stream.getAudioTracks()[0]?.getSettings().deviceId ?? microphone,
      });
    } catch (err) {
      this.set({ status: this.state.stream ? 'preview' : 'off', error: mediaErrorMessage(err) });
    }
  }

  /** Another camera or microphone for the preview (not while live: a recording keeps its tracks). */
  async choose(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    if (this.state.status === 'live' || this.state.status === 'connecting') return;
    this.set({ [kind]: deviceId });
    await this.open();
  }

  toggleMute(): void {
    const muted = !this.state.muted;
    this.state.stream?.getAudioTracks().forEach((t) => (t.enabled = !muted));
    this.set({ muted });
  }

  /** Go live: over WebRTC when it connects, else over the recorder socket. */
  goLive(): void {
    const stream = this.state.stream;
    if (!stream || this.state.status !== 'preview') return;
    this.set({ status: 'connecting', error: null });
    const attempt = new AbortController();
    this.attempt = attempt;
    const lost = () => {
      if (!attempt.signal.aborted) this.finish(CONNECTION_LOST);
    };
    void publishOverWhip(this.roomId, stream, lost, attempt.signal).then((outcome) => {
      if (attempt.signal.aborted) {
        // Stopped (or left) while WHIP was connecting: the signal undid it, or this does.
        if (outcome.kind === 'live') outcome.publish.stop();
        return;
      }
      if (outcome.kind === 'live') {
        this.whip = outcome.publish;
        this.set({ status: 'live', transport: 'webrtc' });
      } else if (outcome.kind === 'refused') this.finish(outcome.message);
      else {
        console.warn(`Going live over the recorder socket: ${outcome.why}`);
        this.goLiveOverRecorder(stream);
      }
    });
  }

  /** The recorder path: connect, and start recording once the server says `ready`. */
  private goLiveOverRecorder(stream: MediaStream): void {
    const mime = typeof MediaRecorder === 'undefined' ? null : pickRecorderMime((m) => MediaRecorder.isTypeSupported(m));
    if (!mime) return this.finish(NO_RECORDER);
    const socket = new WebSocket(publishSocketUrl(window.location, this.roomId, mime));
    this.socket = socket;
    socket.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      const m = JSON.parse(e.data) as BrowserPublishMessage;
      if (m.type === 'ready') this.record(stream, mime, socket);
      else this.finish(m.reason === 'stopped' ? null : m.message);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.finish(CONNECTION_LOST);
    };
  }

  /** Stop the live (the recording so far becomes the replay); the preview stays open. */
  stop(): void {
    this.finish(null);
  }

  /** Leaving the room: stop everything, camera light off. */
  close(): void {
    this.finish(null);
    this.state.stream?.getTracks().forEach((t) => t.stop());
    this.set({ ...INITIAL });
  }

  private record(stream: MediaStream, mime: string, socket: WebSocket): void {
    const options: MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number } = {
      mimeType: mime,
      videoBitsPerSecond: 2_500_000,
      audioBitsPerSecond: 128_000,
      // A keyframe every second (Chromium): the relay copies H.264, and the transcoder starts from one.
      videoKeyFrameIntervalDuration: 1000,
    };
    const recorder = new MediaRecorder(stream, options);
    this.recorder = recorder;
    recorder.ondataavailable = (e: BlobEvent) => {
      if (e.data.size === 0 || socket.readyState !== WebSocket.OPEN) return;
      this.rate.add(performance.now(), e.data.size);
      socket.send(e.data);
      if (unsentMs(socket.bufferedAmount, this.rate.bytesPerMs()) > BROWSER_MAX_UNSENT_MS) this.finish(BROWSER_PUBLISH_SENTENCES.lagging);
    };
    recorder.onerror = () => this.finish('Recording stopped unexpectedly, so going live stopped.');
    recorder.start(BROWSER_TIMESLICE_MS);
    this.set({ status: 'live', transport: 'recorder' });
  }

  private finish(error: string | null): void {
    const { recorder, socket, whip, attempt } = this;
    this.attempt = null;
    attempt?.abort();
    this.recorder = null;
    this.socket = null;
    this.whip = null;
    whip?.stop();
    if (recorder && recorder.state !== 'inactive') {
      recorder.ondataavailable = null;
      recorder.stop();
    }
    // 1000: a stop; the server flushes what it has and ends the live cleanly.
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
    if (this.state.status === 'off') return;
    this.set({ status: this.state.stream ? 'preview' : 'off', error, transport: null });
  }

  private set(patch: Partial<BrowserLiveState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}

/** One BrowserLive per room id for this page load (the Go live panel can close and reopen). */
const instances = new Map<string, BrowserLive>();
export function browserLiveOf(roomId: string): BrowserLive {
  let live = instances.get(roomId);
  if (!live) {
    live = new BrowserLive(roomId);
    instances.set(roomId, live);
  }
  return live;
}

/** The room page is going away: stop a browser live and release the camera. */
export function closeBrowserLive(roomId: string): void {
  instances.get(roomId)?.close();
  instances.delete(roomId);
}
