// Issue 13, item 15: with no traffic the generated `slo:sli_error:ratio_rate5m` was 0/0 = NaN, and
// the rolling period's `sum_over_time(...[30d])` over it stayed NaN for 30 days: period burn rate and
// budget remaining were NaN after one idle 5 minutes. Prometheus' own promtool runs the rules on
// 1 h at 1 % errors, 30 idle minutes and 1 h more: the remaining budget must stay a number, and the
// number the tracker gives for the same traffic.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSloTracker,
  formatPrometheusRules,
  toPrometheusRules,
  type SloTrackerOptions,
} from 'sre-kit/slo';
import { createFakeClock } from 'sre-kit/testing';
import { promtool } from '../helpers/promtool.js';

const SCRAPE_S = 15;
const HOUR_S = 3600;
const slo: SloTrackerOptions = { name: 'api', objective: { kind: 'availability', target: 0.98 } };

interface Phase {
  readonly seconds: number;
  readonly perSecond: number;
  readonly badPerSecond: number;
}

// The traffic of each second, phase after phase.
function* seconds(phases: readonly Phase[]): Generator<{ second: number; total: number; bad: number }> {
  let second = 0;
  for (const phase of phases)
    for (let i = 0; i < phase.seconds; i++, second++)
      yield { second, total: phase.perSecond, bad: phase.badPerSecond };
}

// The counters as Prometheus scrapes them: a sample at time s counts the events of the seconds before s.
function series(phases: readonly Phase[]): { good: string; bad: string } {
  const good: number[] = [];
  const bad: number[] = [];
  let g = 0;
  let b = 0;
  for (const s of seconds(phases)) {
    if (s.second % SCRAPE_S === 0) {
      good.push(g);
      bad.push(b);
    }
    g += s.total - s.bad;
    b += s.bad;
  }
  good.push(g);
  bad.push(b);
  return { good: good.join(' '), bad: bad.join(' ') };
}

// The tracker's budget remaining at each check, fed the same traffic.
function trackerRemaining(phases: readonly Phase[], checks: readonly number[]): Map<number, number> {
  const clock = createFakeClock({ start: 0 });
  const tracker = createSloTracker(slo, { clock });
  const out = new Map<number, number>();
  for (const s of seconds(phases)) {
    if (checks.includes(s.second)) out.set(s.second, tracker.status().budget.remaining);
    if (s.total > s.bad) tracker.record(true, s.total - s.bad);
    if (s.bad > 0) tracker.record(false, s.bad);
    clock.advance(1000);
  }
  return out;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sre-kit-idle-rules-'));
});
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function runPromtool(phases: readonly Phase[], checks: readonly number[], digits: number): string {
  writeFileSync(join(dir, 'rules.yml'), formatPrometheusRules(toPrometheusRules(slo)));
  const expected = trackerRemaining(phases, checks);
  const { good, bad } = series(phases);
  const scale = 10 ** digits;
  const test = {
    rule_files: [join(dir, 'rules.yml')],
    evaluation_interval: `${SCRAPE_S}s`,
    tests: [
      {
        interval: `${SCRAPE_S}s`,
        input_series: [
          { series: 'sre_slo_events_total{slo="api",outcome="good"}', values: good },
          { series: 'sre_slo_events_total{slo="api",outcome="bad"}', values: bad },
        ],
        promql_expr_test: checks.map((second) => ({
          // Rounded, so that the check compares numbers rather than binary noise; NaN stays NaN.
          expr: `round(slo:period_error_budget_remaining:ratio{slo="api"} * ${scale}) / ${scale}`,
          eval_time: `${second}s`,
          exp_samples: [
            { labels: '{slo="api"}', value: Math.round((expected.get(second) ?? NaN) * scale) / scale },
          ],
        })),
      },
    ],
  };
  writeFileSync(join(dir, 'test.yml'), JSON.stringify(test, null, 2));
  const result = promtool(['test', 'rules', join(dir, 'test.yml')]);
  expect(result.output).toContain('SUCCESS');
  return result.output;
}

describe('regression #13 (15): generated rules survive idle periods', () => {
  it('keeps budget remaining a number, equal to the tracker, through 30 idle minutes', () => {
    const phases: Phase[] = [
      { seconds: HOUR_S, perSecond: 100, badPerSecond: 1 },
      { seconds: HOUR_S / 2, perSecond: 0, badPerSecond: 0 },
      { seconds: HOUR_S, perSecond: 100, badPerSecond: 1 },
    ];
    const checks = [HOUR_S - 60, HOUR_S + 600, HOUR_S + 1500, 2 * HOUR_S, 2.5 * HOUR_S - 15];
    expect([...trackerRemaining(phases, checks).values()]).toEqual(checks.map(() => 0.5));
    runPromtool(phases, checks, 6);
  }, 60_000);

  it('weighs every event once, as the tracker does, when traffic and error ratio change', () => {
    const phases: Phase[] = [
      { seconds: HOUR_S, perSecond: 100, badPerSecond: 1 },
      { seconds: HOUR_S / 2, perSecond: 0, badPerSecond: 0 },
      { seconds: HOUR_S, perSecond: 10, badPerSecond: 1 },
      { seconds: HOUR_S / 4, perSecond: 0, badPerSecond: 0 },
    ];
    // 3600 + 3600 bad of 396,000: 1.82 % of a 2 % budget, 0.0909 left. Averaging the 5m ratios would
    // say (1 % + 10 %) / 2, far over budget. Rate windows see an event for 5 minutes after it, so the
    // check waits that long after the traffic ends.
    runPromtool(phases, [HOUR_S + 1500, 2.5 * HOUR_S + 600], 3);
  }, 60_000);
});
