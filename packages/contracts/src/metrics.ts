/**
 * Every Prometheus metric Reelroom exports, named once (issue 10). The API and the transcoder build their
 * prom-client metrics from these entries, and the test of infra/prometheus/alerts.yml checks that every
 * metric an alert or a dashboard panel reads is one of them.
 */
export const METRICS = {
  // Queues (the API collects these from BullMQ at scrape time; one API process is enough to scrape).
  queueJobs: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_queue_jobs',
    help: 'Jobs in a BullMQ queue by state (waiting counts prioritised jobs too).',
    labels: ['queue', 'state'],
  },
  queueOldestWaitingSeconds: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to start in the queue (0 when none waits).',
    labels: ['queue'],
  },
  queuePaused: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_queue_paused',
    help: '1 when an operator paused the queue.',
    labels: ['queue'],
  },
  queueWorkers: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_queue_workers',
    help: 'Workers connected to the queue (BullMQ getWorkers).',
    labels: ['queue'],
  },
  // Jobs (each transcoder process counts what it ran).
  jobDurationSeconds: {
    app: 'transcoder',
    type: 'histogram',
    name: 'reelroom_job_duration_seconds',
    help: 'Wall time of one job attempt, by queue and outcome (completed, failed, retried).',
    labels: ['queue', 'outcome'],
  },
  jobsTotal: {
    app: 'transcoder',
    type: 'counter',
    name: 'reelroom_jobs_total',
    help: 'Job attempts finished, by queue and outcome.',
    labels: ['queue', 'outcome'],
  },
  jobsRunning: {
    app: 'transcoder',
    type: 'gauge',
    name: 'reelroom_jobs_running',
    help: 'Jobs this transcoder process runs now.',
    labels: ['queue'],
  },
  encodeSpeedRatio: {
    app: 'transcoder',
    type: 'histogram',
    name: 'reelroom_encode_speed_ratio',
    help: 'Media seconds encoded per wall-clock second for a finished transcode (2 = twice real time).',
    labels: [],
  },
  liveEncodeLagSeconds: {
    app: 'transcoder',
    type: 'histogram',
    name: 'reelroom_live_encode_lag_seconds',
    help: "How far a live's encode is behind the wall clock since it began reading the stream (sampled each second): the server's share of a live's latency. A value that grows means the live transcode is slower than real time.",
    labels: [],
  },
  // Realtime (per API process).
  sockets: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_sockets',
    help: 'Socket.io connections open on this API process.',
    labels: [],
  },
  rooms: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_rooms',
    help: 'Rooms with at least one socket on this API process.',
    labels: [],
  },
  chatMessagesTotal: {
    app: 'api',
    type: 'counter',
    name: 'reelroom_chat_messages_total',
    help: 'Chat messages accepted by this API process.',
    labels: [],
  },
  syncCommandsTotal: {
    app: 'api',
    type: 'counter',
    name: 'reelroom_sync_commands_total',
    help: 'Playback sync commands accepted by this API process, by action.',
    labels: ['action'],
  },
  hlsHeldRequests: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_hls_held_requests',
    help: 'LL-HLS requests this API process holds for the packager right now (blocking playlist reloads, preload-hinted parts).',
    labels: [],
  },
  liveStreams: {
    app: 'api',
    type: 'gauge',
    name: 'reelroom_live_streams',
    help: 'Lives by state (starting, live), from the database.',
    labels: ['state'],
  },
  // HTTP (per API process).
  httpRequestDurationSeconds: {
    app: 'api',
    type: 'histogram',
    name: 'reelroom_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status class.',
    labels: ['method', 'route', 'status'],
  },
} as const;

export type MetricKey = keyof typeof METRICS;
export type MetricType = 'counter' | 'gauge' | 'histogram';
/** Which process registers the metric: each name has exactly one owner. */
export type MetricApp = 'api' | 'transcoder';

/** Every name Reelroom defines (prom-client adds _bucket, _sum and _count series to the histograms). */
export const METRIC_NAMES: readonly string[] = Object.values(METRICS).map((m) => m.name);

/** The series a PromQL expression may read for each metric: histograms' derived ones included. */
export function exportedSeries(): Map<string, MetricType> {
  const out = new Map<string, MetricType>();
  for (const m of Object.values(METRICS)) {
    if (m.type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) out.set(m.name + suffix, m.type);
    else out.set(m.name, m.type);
  }
  return out;
}

/** Outcomes of a job attempt: done, failed for good, or failed and handed back for another try. */
export type JobOutcome = 'completed' | 'failed' | 'retried';

/**
 * Whether a scrape may read /metrics: always when no METRICS_TOKEN is set, else only with
 * `Authorization: Bearer <token>`. Compared in constant time (no node:crypto here: contracts also run in
 * the browser).
 */
export function metricsScrapeAllowed(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  const given = m?.[1]?.trim() ?? '';
  let diff = given.length ^ token.length;
  for (let i = 0; i < token.length; i++) diff |= token.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return diff === 0;
}

/**
 * prom-client's options for a catalogue entry. Only these keys: prom-client copies its options onto the
 * metric object, so passing the entry itself would shadow the metric's `labels()` method.
 */
export function metricOptions<K extends MetricKey>(key: K): { name: string; help: string; labelNames: string[] } {
  const m = METRICS[key];
  return { name: m.name, help: m.help, labelNames: [...m.labels] };
}
