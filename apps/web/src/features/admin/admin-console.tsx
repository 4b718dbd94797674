import { workerProcessKey } from '@reelroom/contracts';
import { QUEUE_LABELS, formatAge, queueSummary, queueWarning } from './admin-format';
import { useAdminConsole } from './use-admin-console';
import { ResetLinkPanel } from './reset-link-panel';

const since = (iso: string | null) => (iso ? formatAge((Date.now() - new Date(iso).getTime()) / 1000) : '–');

/**
 * The operators' console (issue 10): each queue with its counts, pause and resume; the workers connected
 * (host, process, concurrency) with drain and resume; jobs running with their progress and a cancel;
 * failed jobs with their reasons and a retry. Bull Board (/admin/queues) has every detail; this page is the everyday view.
 */
export function AdminConsole() {
  const { state, pause, resume, retry, cancel, drain, resumeWorker } = useAdminConsole();
  if (state.status === 'loading') return <p className="muted">Loading…</p>;
  if (state.status === 'forbidden')
    return (
      <section className="card">
        <h1>Admin</h1>
        <p className="error" role="alert">
          {state.message}
        </p>
      </section>
    );
  const { queues, workers, running, failed } = state.data;
  return (
    <div className="admin-console">
      <section className="card" aria-labelledby="queues-title">
        <h1 id="queues-title">Queues</h1>
        {state.error && (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
        <ul className="admin-list" data-testid="admin-queues">
          {queues.map((q) => {
            const warning = queueWarning(q);
            return (
              <li key={q.name} data-testid={`queue-${q.name}`} data-paused={q.paused}>
                <span>
                  <strong>{QUEUE_LABELS[q.name]}</strong> <span className="muted small">({q.name})</span>
                  <br />
                  <span className="small" data-testid="queue-summary">
                    {queueSummary(q)}
                  </span>
                  {warning && (
                    <>
                      <br />
                      <span className="small error">{warning}</span>
                    </>
                  )}
                </span>
                {q.paused ? (
                  <button type="button" className="primary" onClick={() => void resume(q.name)}>
                    Resume
                  </button>
                ) : (
                  <button type="button" onClick={() => void pause(q.name)}>
                    Pause
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        <p className="small muted">
          Every job and its logs: <a href="/admin/queues">Bull Board</a>.
        </p>
      </section>

      <section className="card" aria-labelledby="workers-title">
        <h2 id="workers-title">Workers</h2>
        {workers.length === 0 ? (
          <p className="muted">No worker is connected.</p>
        ) : (
          <ul className="admin-list" data-testid="admin-workers">
            {workers.map((w) => {
              // Drain acts on the whole process (every queue it serves): named <host>~<pid>.
              const key = w.host !== null && w.pid !== null ? workerProcessKey(w.host, w.pid) : null;
              return (
                <li key={`${w.queue}-${w.name}-${w.addr}`} data-testid="worker" data-draining={w.draining}>
                  <span>
                    <strong>{w.host ?? w.name}</strong>
                    <span className="muted small">
                      {' '}
                      · {QUEUE_LABELS[w.queue]} · process {w.pid ?? '?'} · {w.concurrency ?? '?'} at once
                      {w.ageSec !== null && ` · up ${formatAge(w.ageSec)}`}
                    </span>
                    {w.draining && (
                      <>
                        <br />
                        <span className="small" data-testid="worker-draining">
                          Draining: takes no new jobs; running ones finish.
                        </span>
                      </>
                    )}
                  </span>
                  {key &&
                    (w.draining ? (
                      <button
                        type="button"
                        className="primary"
                        onClick={() => void resumeWorker(key)}
                        aria-label={`Resume process ${w.pid} on ${w.host}`}
                      >
                        Resume
                      </button>
                    ) : (
                      <button type="button" onClick={() => void drain(key)} aria-label={`Drain process ${w.pid} on ${w.host}`}>
                        Drain
                      </button>
                    ))}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="running-title">
        <h2 id="running-title">Running</h2>
        {running.length === 0 ? (
          <p className="muted">Nothing is running.</p>
        ) : (
          <ul className="admin-list" data-testid="admin-running">
            {running.map((j) => (
              <li key={`${j.queue}-${j.id}`} data-testid="running-job">
                <span>
                  <strong>{QUEUE_LABELS[j.queue]}</strong> <code className="small">{j.id}</code>
                  <span className="muted small">
                    {' '}
                    · on {j.processedBy ?? 'a worker'} · for {since(j.startedAt)}
                  </span>
                </span>
                <span className="admin-actions">
                  {j.progress !== null ? (
                    <progress max={100} value={j.progress} aria-label={`Progress of ${j.id}`}>
                      {Math.round(j.progress)} %
                    </progress>
                  ) : (
                    <span className="muted small">starting</span>
                  )}
                  {j.queue !== 'live' && (
                    <button type="button" className="danger" onClick={() => void cancel(j.queue, j.id)} aria-label={`Cancel job ${j.id}`}>
                      Cancel
                    </button>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="failed-title">
        <h2 id="failed-title">Failed</h2>
        {failed.length === 0 ? (
          <p className="muted">No failed jobs.</p>
        ) : (
          <ul className="admin-list" data-testid="admin-failed">
            {failed.map((j) => (
              <li key={`${j.queue}-${j.id}`} data-testid="failed-job">
                <span>
                  <strong>{QUEUE_LABELS[j.queue]}</strong> <code className="small">{j.id}</code>
                  <span className="muted small">
                    {' '}
                    · {since(j.finishedAt)} ago · {j.attemptsMade} tries
                  </span>
                  <br />
                  <span className="small" data-testid="failed-reason">
                    {j.failedReason ?? 'No reason recorded.'}
                  </span>
                </span>
                {j.queue !== 'live' && (
                  <button type="button" onClick={() => void retry(j.queue, j.id)}>
                    Retry
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <ResetLinkPanel />
    </div>
  );
}
