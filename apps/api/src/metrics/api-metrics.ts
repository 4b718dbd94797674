import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricOptions, type AdminQueueView } from '@reelroom/contracts';

/** What the socket layer reports at scrape time (RealtimeGateway fills it in when its server starts). */
export interface SocketStats {
  sockets: number;
  rooms: number;
}

const SYNC_ACTIONS = new Set(['play', 'pause', 'seek', 'rate', 'media']);

/**
 * The API process's Prometheus registry: prom-client's default process metrics plus ours, each built from
 * its entry in the contracts' METRICS catalogue (names are written once, there). Everything here is in
 * memory; the scrape-time sources (queues, lives) are read by MetricsController.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();
  private socketStats: () => SocketStats = () => ({ sockets: 0, rooms: 0 });
  private heldRequests: () => number = () => 0;

  readonly httpDuration = new Histogram({
    ...metricOptions('httpRequestDurationSeconds'),
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly chatMessages = new Counter({ ...metricOptions('chatMessagesTotal'), registers: [this.registry] });
  readonly syncCommands = new Counter({ ...metricOptions('syncCommandsTotal'), registers: [this.registry] });
  private readonly queueJobs = new Gauge({ ...metricOptions('queueJobs'), registers: [this.registry] });
  private readonly queueOldest = new Gauge({
    ...metricOptions('queueOldestWaitingSeconds'),
    registers: [this.registry],
  });
  private readonly queuePaused = new Gauge({ ...metricOptions('queuePaused'), registers: [this.registry] });
  private readonly queueWorkers = new Gauge({ ...metricOptions('queueWorkers'), registers: [this.registry] });
  private readonly liveStreams = new Gauge({ ...metricOptions('liveStreams'), registers: [this.registry] });
  private readonly sockets: Gauge = new Gauge({
    ...metricOptions('sockets'),
    registers: [this.registry],
    collect: (): void => this.sockets.set(this.socketStats().sockets),
  });
  private readonly rooms: Gauge = new Gauge({
    ...metricOptions('rooms'),
    registers: [this.registry],
    collect: (): void => this.rooms.set(this.socketStats().rooms),
  });

  private readonly hlsHeld: Gauge = new Gauge({
    ...metricOptions('hlsHeldRequests'),
    registers: [this.registry],
    collect: (): void => this.hlsHeld.set(this.heldRequests()),
  });

  constructor() {
    this.registry.setDefaultLabels({ app: 'api' });
    collectDefaultMetrics({ register: this.registry });
  }

  reportSocketsWith(source: () => SocketStats): void {
    this.socketStats = source;
  }

  /** PlaylistWaits reports how many LL-HLS requests it holds (read at scrape time). */
  reportHeldRequestsWith(source: () => number): void {
    this.heldRequests = source;
  }

  /** A client event that was answered ok: chat messages and sync commands count toward their rates. */
  socketEventAccepted(event: string, payload: unknown): void {
    if (event === 'chat:send') this.chatMessages.inc();
    else if (event === 'sync:command') {
      const type = (payload as { type?: unknown } | null)?.type;
      this.syncCommands.inc({ action: typeof type === 'string' && SYNC_ACTIONS.has(type) ? type : 'other' });
    }
  }

  setQueues(queues: AdminQueueView[]): void {
    for (const q of queues) {
      for (const [state, n] of Object.entries(q.counts)) this.queueJobs.set({ queue: q.name, state }, n);
      this.queueOldest.set({ queue: q.name }, q.oldestWaitingSec);
      this.queuePaused.set({ queue: q.name }, q.paused ? 1 : 0);
      this.queueWorkers.set({ queue: q.name }, q.workers);
    }
  }

  setLiveStreams(byState: Record<'starting' | 'live', number>): void {
    for (const [state, n] of Object.entries(byState)) this.liveStreams.set({ state }, n);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
