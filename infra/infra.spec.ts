import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportedSeries } from '@reelroom/contracts';

// The alert rules and the Grafana dashboard read only metrics the apps export (issue 10): a renamed
// metric, or a typo, fails here instead of leaving an alert that can never fire.

const dir = import.meta.dirname;
const series = exportedSeries();
/** Prometheus' own series, and prom-client's default process metrics, that the files may also read. */
const STANDARD = new Set(['up']);

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string };
}
const alerts = parse(readFileSync(join(dir, 'prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };
const rules = alerts.groups.flatMap((g) => g.rules);
const dashboard = JSON.parse(readFileSync(join(dir, 'grafana/reelroom-dashboard.json'), 'utf8')) as {
  uid: string;
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};
const panelExprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })));

/** PromQL's binary and aggregation keywords (an aggregation may come before its `by (...)`, not its parenthesis). */
const KEYWORDS =
  /^(and|or|unless|by|without|on|ignoring|group_left|group_right|bool|offset|sum|min|max|avg|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)$/;

/** The metric names in a PromQL expression: identifiers that are not functions, keywords, labels or strings. */
export function metricNamesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutLabelLists = withoutStrings
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1()')
    .replace(/\{[^}]*\}/g, '{}');
  const names = new Set<string>();
  for (const m of withoutLabelLists.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)) {
    const word = m[1];
    if (KEYWORDS.test(word)) continue;
    if (/^\d/.test(word) || /^[smhdwy]$/.test(word) || /^\d+[smhdwy]$/.test(word)) continue;
    names.add(word);
  }
  return [...names];
}

describe('infra: alert rules and dashboard', () => {
  it('finds metric names in PromQL, skipping functions, keywords, labels and strings', () => {
    expect(metricNamesIn('max by (queue) (reelroom_queue_workers{state="waiting"}) == 0 and on (queue) foo_total > 0').sort()).toEqual([
      'foo_total',
      'reelroom_queue_workers',
    ]);
    expect(metricNamesIn('histogram_quantile(0.5, sum by (le) (rate(x_bucket[1h]))) < 1')).toEqual(['x_bucket']);
  });

  it('reads only metrics the API and the transcoder export', () => {
    const unknown: string[] = [];
    for (const { where, expr } of [...rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })), ...panelExprs]) {
      for (const name of metricNamesIn(expr)) if (!series.has(name) && !STANDARD.has(name)) unknown.push(`${where}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  it('has the alerts operators need: queue age, failure rate, no workers', () => {
    const names = rules.map((r) => r.alert);
    expect(names).toEqual(expect.arrayContaining(['ReelroomQueueBacklogOld', 'ReelroomJobFailureRate', 'ReelroomNoWorkers']));
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(r.labels?.severity, r.alert).toMatch(/^(info|warning|critical)$/);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
    }
  });

  it('has a dashboard panel for every metric Reelroom exports', () => {
    const used = new Set(panelExprs.flatMap(({ expr }) => metricNamesIn(expr)).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    const missing = [...series.keys()].map((n) => n.replace(/_(bucket|sum|count)$/, '')).filter((n) => !used.has(n));
    expect([...new Set(missing)]).toEqual([]);
    expect(dashboard.uid).toBe('reelroom-overview');
  });
});
