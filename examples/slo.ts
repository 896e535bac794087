// SLOs and error budgets end to end: the pure math an agent can call, a tracker living through an
// outage (on a fake clock, so two days pass in a moment), a snapshot surviving a "restart", and the
// Prometheus rules and OpenSLO documents for the same SLO, written to a temporary directory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  burnRateAlerts,
  calendarPeriod,
  createSloTracker,
  errorBudget,
  formatPrometheusRules,
  timeToExhaustion,
  toOpenSlo,
  toPrometheusRules,
  type SloSnapshot,
  type SloTrackerOptions,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const MINUTE = 60_000;
const DAY = 86_400_000;
const minutes = (ms: number): string => `${(ms / MINUTE).toFixed(2)} min`;

// 1. Pure math: no state, no clock.
console.log('Error budget math');
console.log(
  `  99.9 % over 30 days allows ${minutes(errorBudget({ target: 0.999, windowMs: 30 * DAY }).allowedDowntimeMs)} of downtime`,
);
const february = calendarPeriod({ unit: 'month', timeZone: 'UTC', at: Date.parse('2026-02-10T00:00:00Z') });
console.log(
  `  ... and ${minutes(errorBudget({ target: 0.999, windowMs: february.durationMs }).allowedDowntimeMs)} in February 2026`,
);
console.log(
  `  40 % of the budget left at burn rate 6 lasts ${timeToExhaustion({ windowMs: 30 * DAY, remaining: 0.4, burnRate: 6 }) / 3_600_000} h`,
);
for (const alert of burnRateAlerts({ windowMs: 30 * DAY }))
  console.log(
    `  ${alert.severity.padEnd(6)} at ${String(alert.burnRate).padStart(4)}x over ${alert.longWindowMs / MINUTE} min` +
      ` (short window ${alert.shortWindowMs / MINUTE} min): ${alert.budgetConsumed * 100} % of the budget`,
  );

// 2. A tracker through an outage. The service handles 20 requests a second; after 29 quiet days,
// every request fails for 10 minutes.
const options: SloTrackerOptions = {
  name: 'checkout-availability',
  objective: { kind: 'availability', target: 0.999 },
  window: { kind: 'rolling', durationMs: 30 * DAY },
  alerts: 'google',
};
const clock = createFakeClock({ start: '2026-02-01T00:00:00Z' });
const slo = createSloTracker(options, { clock });
const at = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
slo.on('alert', (e) =>
  console.log(
    `  ${at(e.atMs)} ${e.firing ? 'FIRING  ' : 'resolved'} ${e.severity} ${e.burnRate}x ` +
      `(long window burning at ${e.longBurnRate.toFixed(1)}x, short at ${e.shortBurnRate.toFixed(1)}x)`,
  ),
);
slo.on('budgetExhausted', (e) =>
  console.log(`  ${at(e.atMs)} budget exhausted (${(e.consumed * 100).toFixed(0)} % consumed)`),
);

const traffic = (seconds: number, ok: boolean): void => {
  for (let s = 0; s < seconds; s++) {
    slo.record(ok, 20);
    clock.advance(1000);
  }
};
console.log('\nAn outage, as the tracker sees it');
for (let minute = 0; minute < 29 * 24 * 60 - 120; minute++) {
  slo.record(true, 20 * 60); // 29 quiet days of history, a minute at a time
  clock.advance(MINUTE);
}
traffic(2 * 3600, true);
console.log(`  ${at(clock.wallNow())} outage starts`);
traffic(10 * 60, false);
console.log(`  ${at(clock.wallNow())} outage ends`);
traffic(45 * 60, true);
const status = slo.status();
console.log(
  `  ${at(clock.wallNow())} SLI ${(status.sli! * 100).toFixed(3)} %, budget consumed ${(status.budget.consumed * 100).toFixed(0)} %`,
);
console.log(
  `  budget remaining ${(status.budget.remaining * 100).toFixed(0)} %; at the last hour's burn rate it lasts another ${(status.timeToExhaustionMs / 3_600_000).toFixed(1)} h`,
);
console.log(
  `  burn rates: ${Object.entries(status.burnRates)
    .map(([w, r]) => `${w} ${r.toFixed(1)}`)
    .join(', ')}`,
);

// 3. Snapshots are plain JSON: write one before a restart, restore it after.
const saved = JSON.stringify(slo.snapshot());
const restored = createSloTracker(options, { clock, snapshot: JSON.parse(saved) as SloSnapshot });
console.log(
  `\nSnapshot: ${(saved.length / 1024).toFixed(1)} KB of JSON; restored SLI ${(restored.status().sli! * 100).toFixed(3)} %`,
);

// 4. The same SLO for Prometheus (Sloth-style rules) and OpenSLO, in a temporary directory.
const dir = mkdtempSync(join(tmpdir(), 'sre-kit-slo-'));
try {
  const rules = toPrometheusRules([
    options,
    { name: 'search-latency', objective: { kind: 'latency', target: 0.95, thresholdMs: 200 } },
  ]);
  const rulesFile = join(dir, 'slo-rules.yml');
  writeFileSync(rulesFile, formatPrometheusRules(rules));
  const ruleCount = rules.groups.reduce((n, g) => n + g.rules.length, 0);
  console.log(`\nPrometheus: ${ruleCount} rules in ${rules.groups.length} groups written to ${rulesFile}`);
  const check = spawnSync('promtool', ['check', 'rules', rulesFile], { encoding: 'utf8' });
  console.log(
    check.error === undefined
      ? `  promtool: ${check.stdout.trim().split('\n').pop()?.trim()}`
      : '  (promtool not installed: skipped the check)',
  );
  const openslo = toOpenSlo(options);
  writeFileSync(join(dir, 'slo.openslo.json'), JSON.stringify(openslo, null, 2));
  console.log(
    `OpenSLO: ${openslo.map((d) => `kind: ${d.kind}`).join(' + ')} written to ${join(dir, 'slo.openslo.json')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  slo.close();
  restored.close();
}
