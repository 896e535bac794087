// The generated rules are proven by Prometheus' own tool: `promtool check rules` loads them, and
// `promtool test rules` evaluates them on the same traffic our tracker sees on the fake clock. The
// expected alerts are whatever the tracker says, so the two implementations must agree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSloTracker,
  formatPrometheusRules,
  toPrometheusRules,
  type PrometheusAlertingRule,
  type SloSample,
  type SloTrackerOptions,
} from 'sre-kit/slo';
import { createFakeClock } from 'sre-kit/testing';

const PER_SECOND = 10;
const SCRAPE_S = 15;
const OUTAGE_START_S = 2 * 3600;
const OUTAGE_END_S = OUTAGE_START_S + 600;
const END_S = 3 * 3600;
const isBad = (second: number): boolean => second >= OUTAGE_START_S && second < OUTAGE_END_S;

// Check times sit well away from any threshold crossing (the tracker reads 1 s buckets, Prometheus
// 15 s scrapes), so both must give the same answer.
const CHECKS_S = [
  OUTAGE_START_S - 60, // before: nothing
  OUTAGE_START_S + 30, // ticket only: 1x over 3 d / 6 h, but 14.4x needs ~52 s
  OUTAGE_START_S + 120, // both pages and the ticket
  OUTAGE_END_S + 120, // still: the 5 m window holds 3 minutes of outage
  OUTAGE_END_S + 600, // 14.4x reset; 6x still fires from the 30 m window
  OUTAGE_END_S + 2700, // pages resolved; the ticket's 6 h window still sees the outage
];

let dir: string;

function promtool(args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('promtool not found: install Debian/Ubuntu package "prometheus" (see .ci/run)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sre-kit-promtool-'));
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

// The tracker's verdict at each check: the firing severities, as the generated alert would label them.
function trackerVerdicts(
  slo: SloTrackerOptions,
  sample: (bad: boolean) => boolean | SloSample,
): Map<number, Array<'page' | 'ticket'>> {
  const clock = createFakeClock({ start: 0 });
  const tracker = createSloTracker(slo, { clock });
  const verdicts = new Map<number, Array<'page' | 'ticket'>>();
  const checks = new Set(CHECKS_S);
  for (let second = 0; second < END_S; second++) {
    if (checks.has(second)) {
      const firing = tracker
        .status()
        .alerts.filter((a) => a.firing)
        .map((a) => a.severity);
      verdicts.set(second, [...new Set(firing)]);
    }
    tracker.record(sample(isBad(second)), PER_SECOND);
    clock.advance(1000);
  }
  expect(tracker.diagnostics().dropped).toBe(0);
  return verdicts;
}

// A counter sample at time s counts the events of the seconds before s, like a scrape just before
// the tracker records second s.
function seriesValues(outcome: 'good' | 'bad'): string {
  const values: number[] = [];
  let count = 0;
  for (let second = 0; second < END_S; second++) {
    if (second % SCRAPE_S === 0) values.push(count);
    if (isBad(second) === (outcome === 'bad')) count += PER_SECOND;
  }
  return values.join(' ');
}

interface Case {
  readonly title: string;
  readonly slo: SloTrackerOptions;
  readonly sample: (bad: boolean) => boolean | SloSample;
}

const CASES: Case[] = [
  {
    title: 'google preset, rolling 30 days',
    slo: { name: 'api', objective: { kind: 'availability', target: 0.999 } },
    sample: (bad) => !bad,
  },
  {
    title: 'sloth preset, rolling 28 days',
    slo: {
      name: 'checkout',
      objective: { kind: 'latency', target: 0.99, thresholdMs: 300 },
      window: { kind: 'rolling', durationMs: 28 * 86_400_000 },
      alerts: 'sloth',
    },
    // The outage here is slowness: requests succeed but take 900 ms.
    sample: (bad) => ({ ok: true, latencyMs: bad ? 900 : 120 }),
  },
];

describe.each(CASES)('Prometheus rules, $title', ({ slo, sample }) => {
  it('load in promtool as YAML and as JSON', () => {
    const rules = toPrometheusRules([slo]);
    writeFileSync(join(dir, 'rules.yml'), formatPrometheusRules(rules));
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules, null, 2));
    expect(promtool(['check', 'rules', 'rules.yml'])).toContain('SUCCESS');
    expect(promtool(['check', 'rules', 'rules.json'])).toContain('SUCCESS');
  });

  it('fire in promtool exactly when the tracker fires', () => {
    const rules = toPrometheusRules([slo]);
    writeFileSync(join(dir, 'rules.yml'), formatPrometheusRules(rules));
    const verdicts = trackerVerdicts(slo, sample);
    // The scenario must exercise both answers, or agreement would prove nothing.
    const pages = [...verdicts.values()].map((v) => v.includes('page'));
    expect(pages).toContain(true);
    expect(pages).toContain(false);
    expect(verdicts.get(OUTAGE_START_S - 60)).toEqual([]);

    const alertRules = rules.groups
      .flatMap((g) => g.rules)
      .filter((r): r is PrometheusAlertingRule => 'alert' in r);
    const annotations = (severity: string) =>
      alertRules.find((r) => r.labels.severity === severity)?.annotations ?? {};
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: `${SCRAPE_S}s`,
      tests: [
        {
          interval: `${SCRAPE_S}s`,
          input_series: (['good', 'bad'] as const).map((outcome) => ({
            series: `sre_slo_events_total{slo="${slo.name}",outcome="${outcome}"}`,
            values: seriesValues(outcome),
          })),
          alert_rule_test: CHECKS_S.map((second) => ({
            eval_time: `${second}s`,
            alertname: 'SloErrorBudgetBurn',
            exp_alerts: (verdicts.get(second) ?? []).map((severity) => ({
              exp_labels: { severity, slo: slo.name },
              exp_annotations: annotations(severity),
            })),
          })),
        },
      ],
    };
    writeFileSync(join(dir, 'test.yml'), JSON.stringify(test, null, 2));
    expect(promtool(['test', 'rules', 'test.yml'])).toContain('SUCCESS');
  });
});
