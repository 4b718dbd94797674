import { useCallback, useEffect, useRef, useState } from 'react';
import { ADMIN_QUEUES, type AdminJobView, type AdminQueueName, type AdminQueueView, type AdminWorkerView } from '@reelroom/contracts';
import { api, ApiError, errorMessage } from '../../api/client';

export interface AdminSnapshot {
  queues: AdminQueueView[];
  workers: AdminWorkerView[];
  running: AdminJobView[];
  failed: AdminJobView[];
}

export type AdminConsoleState =
  { status: 'loading' } | { status: 'forbidden'; message: string } | { status: 'ready'; data: AdminSnapshot; error: string | null };

/** How often the console reads the queues again (progress and counts move while one watches). */
const REFRESH_MS = 3000;

async function load(): Promise<AdminSnapshot> {
  const [queues, workers, running, failed] = await Promise.all([
    api.admin.queues(),
    api.admin.workers(),
    Promise.all(ADMIN_QUEUES.map((q) => api.admin.jobs(q, 'active'))),
    Promise.all(ADMIN_QUEUES.map((q) => api.admin.jobs(q, 'failed'))),
  ]);
  return { queues, workers, running: running.flat(), failed: failed.flat() };
}

/**
 * The admin console's data, read every REFRESH_MS, and its actions (pause, resume, retry, cancel, drain and
 * resume a worker), each followed by
 * a fresh read. A 401/403 ends the polling with the server's sentence; other errors keep the last data and
 * show the error until the next successful read.
 */
export function useAdminConsole() {
  const [state, setState] = useState<AdminConsoleState>({ status: 'loading' });
  const stopped = useRef(false);

  const refresh = useCallback(async () => {
    try {
      const data = await load();
      if (!stopped.current) setState({ status: 'ready', data, error: null });
    } catch (err) {
      if (stopped.current) return;
      if (err instanceof ApiError && (err.statusCode === 401 || err.statusCode === 403)) {
        stopped.current = true;
        setState({ status: 'forbidden', message: err.message });
      } else
        setState((s) => (s.status === 'ready' ? { ...s, error: errorMessage(err) } : { status: 'forbidden', message: errorMessage(err) }));
    }
  }, []);

  useEffect(() => {
    stopped.current = false;
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      stopped.current = true;
      clearInterval(timer);
    };
  }, [refresh]);

  const act = useCallback(
    async (action: () => Promise<void>) => {
      try {
        await action();
      } catch (err) {
        setState((s) => (s.status === 'ready' ? { ...s, error: errorMessage(err) } : s));
        return;
      }
      await refresh();
    },
    [refresh],
  );

  return {
    state,
    pause: (q: AdminQueueName) => act(() => api.admin.pause(q)),
    resume: (q: AdminQueueName) => act(() => api.admin.resume(q)),
    retry: (q: AdminQueueName, jobId: string) => act(() => api.admin.retry(q, jobId)),
    cancel: (q: AdminQueueName, jobId: string) => act(() => api.admin.cancel(q, jobId)),
    drain: (worker: string) => act(() => api.admin.drain(worker)),
    resumeWorker: (worker: string) => act(() => api.admin.resumeWorker(worker)),
  };
}
