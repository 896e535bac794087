// The end-of-run lines: the error groups the faults produced, then the budgets: the day's SLA and the
// budget forecasts, each figure with its window and the counts behind it, so "513 % of today's budget"
// beside "29 % left" reads as two windows rather than a contradiction. Every line fits 80 columns.
import type { MonitorHealthReport, SlaReport } from 'sre-kit';
import { clip, count, SCREEN, span, wrap } from './screen.js';

const pct = (ratio: number): string => `${(ratio * 100).toFixed(0)}%`;

/** Per SLO of the day's SLA report: achieved against objective, and today's budget as bad of allowed. */
export function slaLines(sla: SlaReport, sloWindowMs: number): string[] {
  const width = Math.max(...sla.slos.map((slo) => slo.slo.length));
  const lines = [
    `sla today, ${sla.from.slice(11, 16)} to ${sla.asOf.slice(11, 16)} UTC (today's seeded hours and this run):`,
  ];
  for (const slo of sla.slos) {
    const allowed = slo.total * (1 - slo.objective / 100);
    lines.push(
      `  ${slo.slo.padEnd(width)}  achieved ${slo.achieved === null ? '-' : `${slo.achieved.toFixed(3)}%`}` +
        ` for objective ${slo.objective}%: ${slo.met ? 'met' : 'missed'}`,
      `  ${' '.repeat(width)}  ${count(slo.total - slo.good)} bad of ${count(allowed)} allowed` +
        ` = ${pct(slo.budgetUsed)} of today's error budget`,
    );
  }
  lines.push(
    `  (today's budget is the share of today's events the objective lets fail; the`,
    `  view's ${span(sloWindowMs)} budget spreads over all ${span(sloWindowMs)} of events, the seeded days included)`,
  );
  return lines.map((line) => clip(line, SCREEN.columns));
}

/**
 * Per SLO, the forecast of its window's budget at the last hour's burn, with the events it rests on;
 * below the monitor's gates it says what is missing instead of a time.
 */
export function predictionLines(
  health: Pick<MonitorHealthReport, 'predictions'>,
  sloWindowMs: number,
): string[] {
  return (health.predictions?.budgetExhaustion ?? []).flatMap((p) => {
    const verdict =
      p.status === 'insufficient_data'
        ? `no forecast, insufficient data: ${p.missing.join(', ')}`
        : p.exhaustsAt === null
          ? 'does not run out at that burn'
          : `runs out at ${p.exhaustsAt}`;
    return [
      clip(
        `prediction: ${p.slo} ${span(sloWindowMs)} budget ${pct(p.budgetRemaining)} left, ` +
          `burn ${p.burnRate.toFixed(1)}× over the last hour`,
        SCREEN.columns,
      ),
      ...wrap(`  (${count(p.evidence.samples)} events) ${verdict}`, SCREEN.columns, '    '),
    ];
  });
}

/**
 * The top error groups of the health report, most errors first: how many, which type, whether it is
 * new since the start and its parameterised message; then where it was thrown and on which routes.
 */
export function errorGroupLines(health: Pick<MonitorHealthReport, 'errors'>, limit = 5): string[] {
  const groups = (health.errors ?? []).slice(0, limit);
  if (groups.length === 0) return [];
  return [
    'error groups, most errors first:',
    ...groups.flatMap((g) => [
      ...wrap(
        `  ${count(g.count)} x ${g.type}${g.new ? ' (new since start)' : ''}: ${g.message}`,
        SCREEN.columns,
        '      ',
      ),
      clip(`      at ${g.location ?? '(no stack)'}`, SCREEN.columns),
      ...(g.routes.length === 0
        ? []
        : wrap(`      on ${g.routes.map((r) => r.route).join(', ')}`, SCREEN.columns, '         ')),
    ]),
  ];
}
