import { z } from 'zod';
import { checkUnique, parseOptions } from '../core/index.js';
import type { BurnRateWindowName, SloTracker } from '../slo/index.js';
import type { MetricFamily, MetricSample, MetricsSource } from './metric-family.js';

// Window names in the order Prometheus users read them; `window` is the whole SLO window.
const WINDOWS: ReadonlyArray<BurnRateWindowName | 'window'> = [
  '5m',
  '30m',
  '1h',
  '2h',
  '6h',
  '1d',
  '3d',
  'window',
];

/**
 * What {@link sloMetrics} reads of an SLO: a tracker, or anything that answers the same reads (a
 * cluster primary's view, whose counter is the whole fleet's).
 */
export type SloMetricsSource = Pick<SloTracker, 'name' | 'target' | 'status' | 'counts'>;

const sloListSchema = z
  .object({ slos: z.array(z.custom<SloMetricsSource>(() => true)) })
  .superRefine((value, ctx) => checkUnique(ctx, value.slos, ['slos'], { noun: 'SLO', thing: 'SLO tracker' }));

/**
 * Exposes SLO trackers: `sre_slo_events_total{slo,outcome="good"|"bad"}` (the counter the rules from
 * `toPrometheusRules` read, so Prometheus can evaluate burn rates across a fleet), and gauges of each
 * SLO's objective, budget remaining, burn rate per window and alerts firing, as this process sees them.
 *
 * @example
 * ```ts
 * app.get('/metrics', metricsHandler({ http: sre, slos: [availability, latency200] }));
 * renderMetrics([sloMetrics([availability])]);
 * ```
 * @throws {ConfigError} when two trackers share a name (their series would collide).
 */
export function sloMetrics(slos: readonly SloMetricsSource[]): MetricsSource {
  const trackers = [...parseOptions(sloListSchema, { slos }, 'sloMetrics').slos];
  return {
    *collect() {
      if (trackers.length === 0) return;
      const events: MetricSample[] = [];
      const objective: MetricSample[] = [];
      const remaining: MetricSample[] = [];
      const burn: MetricSample[] = [];
      const firing: MetricSample[] = [];
      for (const slo of trackers) {
        const counts = slo.counts();
        events.push(
          { suffix: '_total', labels: { slo: slo.name, outcome: 'good' }, value: counts.good },
          { suffix: '_total', labels: { slo: slo.name, outcome: 'bad' }, value: counts.bad },
        );
        const status = slo.status();
        objective.push({ labels: { slo: slo.name }, value: slo.target });
        remaining.push({ labels: { slo: slo.name }, value: status.budget.remaining });
        for (const window of WINDOWS)
          burn.push({ labels: { slo: slo.name, window }, value: status.burnRates[window] });
        for (const severity of ['page', 'ticket'] as const)
          firing.push({
            labels: { slo: slo.name, severity },
            value: status.alerts.some((a) => a.severity === severity && a.firing) ? 1 : 0,
          });
      }
      yield* [
        family('sre_slo_events', 'counter', 'Events judged by each SLO since the process started.', events),
        family('sre_slo_objective_ratio', 'gauge', 'Target share of good events.', objective, 'ratio'),
        family(
          'sre_slo_error_budget_remaining_ratio',
          'gauge',
          'Share of the error budget left in the SLO window (negative once overspent).',
          remaining,
          'ratio',
        ),
        family(
          'sre_slo_burn_rate',
          'gauge',
          'How fast the error budget burns over each window: 1 spends it exactly by the end of the SLO window.',
          burn,
        ),
        family(
          'sre_slo_alert_firing',
          'gauge',
          'Whether a multi-window burn-rate alert fires (1) or not (0).',
          firing,
        ),
      ];
    },
  };
}

function family(
  name: string,
  type: 'counter' | 'gauge',
  help: string,
  samples: MetricSample[],
  unit?: string,
): MetricFamily {
  return unit === undefined ? { name, help, type, samples } : { name, help, type, unit, samples };
}
