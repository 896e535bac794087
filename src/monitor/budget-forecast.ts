import type { SloSnapshot, SloStatus } from '../slo/index.js';
import { judgeForecast, type ForecastEvidence, type ForecastGates } from './forecast-gates.js';
import { forecastTime } from './format.js';
import { HOUR_MS } from './history.js';
import type { BudgetPrediction } from './report-schemas.js';

// When each SLO's error budget runs out at the last hour's burn rate, stated only when the tracker has
// seen enough: events over at least the gate's span, and enough of them in the hour the burn is read
// from. No line is fitted (the burn rate is a ratio of counts), so the fit gate does not apply.

/** What one SLO's exhaustion forecast is built from. */
export interface BudgetForecastInput {
  readonly status: SloStatus;
  /** The tracker's counts (for the evidence), or `undefined` when they could not be read. */
  readonly snapshot: SloSnapshot | undefined;
  /** The length of the SLO's window, ms (the budget a burn rate of 1 spends in it). */
  readonly windowMs: number;
}

/** The evidence behind an SLO's exhaustion forecast at `now`. */
export function budgetEvidence(input: BudgetForecastInput, now: number): ForecastEvidence {
  const burn = input.status.burnRates['1h'];
  const slopePerHour = input.windowMs > 0 && Number.isFinite(burn) ? (burn * HOUR_MS) / input.windowMs : 0;
  const snapshot = input.snapshot;
  if (snapshot === undefined) return { spanMs: 0, samples: 0, fitR2: null, slopePerHour };
  let earliest = Infinity;
  let lastHour = 0;
  // The finest tier that spans the hour counts the hour's events; every tier dates the oldest data.
  let hourTier: SloSnapshot['tiers'][number] | undefined;
  for (const tier of snapshot.tiers) {
    const first = tier.buckets[0];
    if (first !== undefined) earliest = Math.min(earliest, first[0] * tier.granularityMs);
    if (
      tier.granularityMs * tier.size >= HOUR_MS &&
      (hourTier === undefined || tier.granularityMs < hourTier.granularityMs)
    )
      hourTier = tier;
  }
  if (hourTier !== undefined)
    for (const [index, , total] of hourTier.buckets)
      if ((index + 1) * hourTier.granularityMs > now - HOUR_MS) lastHour += total;
  return {
    spanMs: Number.isFinite(earliest) ? Math.max(0, now - earliest) : 0,
    samples: lastHour,
    fitR2: null,
    slopePerHour,
  };
}

/** Each SLO's budget exhaustion forecast, gated; `null` times mean "never" or "not stated". */
export function budgetPredictions(
  inputs: readonly BudgetForecastInput[],
  now: number,
  gates: ForecastGates,
): BudgetPrediction[] {
  return inputs.map((input) => {
    const { status } = input;
    const evidence = budgetEvidence(input, now);
    const verdict = judgeForecast(evidence, gates);
    // Infinity (no burn) and a time past 9999-12-31 both mean it never runs out.
    const when = forecastTime(now, verdict.status === 'ok' ? status.timeToExhaustionMs : null);
    return {
      slo: status.name,
      budgetRemaining: status.budget.remaining,
      burnRate: status.burnRates['1h'],
      exhaustsInMs: when.inMs,
      exhaustsAt: when.at,
      status: verdict.status,
      missing: verdict.missing,
      evidence,
    };
  });
}
