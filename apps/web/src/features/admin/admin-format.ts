import type { AdminQueueName, AdminQueueView } from '@reelroom/contracts';

/** What operators call each queue. */
export const QUEUE_LABELS: Record<AdminQueueName, string> = {
  media: 'Transcodes',
  'media-audio': 'Audio parts of long videos',
  live: 'Lives',
  'media-import': 'Imports by link',
};

/** "45 s", "12 min", "3 h 5 min": how long something has waited or run. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
}

/** One line per queue for a screen reader and the heading: state, backlog, age. */
export function queueSummary(q: AdminQueueView): string {
  const parts = [q.paused ? 'paused' : 'running', `${q.counts.waiting} waiting`, `${q.counts.active} running`, `${q.counts.failed} failed`];
  if (q.counts.waiting > 0) parts.push(`oldest waiting ${formatAge(q.oldestWaitingSec)}`);
  parts.push(q.workers === 1 ? '1 worker' : `${q.workers} workers`);
  return parts.join(' · ');
}

/** A worried operator's first question: is anything stuck? Waiting work with nobody to do it, or a paused queue. */
export function queueWarning(q: AdminQueueView): string | null {
  if (q.counts.waiting > 0 && q.workers === 0) return 'Jobs are waiting and no worker is connected to this queue.';
  if (q.paused && q.counts.waiting > 0) return 'Paused: waiting jobs will not start until you resume.';
  return null;
}
