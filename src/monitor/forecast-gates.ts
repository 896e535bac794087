import { describeMs, fmt } from './format.js';
import { HOUR_MS } from './history.js';

// The gates every forecast passes before it may be stated, and the evidence it states. A trend fitted
// to ten seconds after a restart says nothing about the next week: below a gate the forecast answers
// `insufficient_data` and names what is missing, and nothing downstream treats it as an action.

/** The data a forecast rests on, stated with it. */
export interface ForecastEvidence {
  /** Time between the oldest and the newest observation used, ms. */
  readonly spanMs: number;
  /** Observations used (finite samples of a signal; events of an SLO). */
  readonly samples: number;
  /** The fit's coefficient of determination r², 0 to 1; `null` when no line is fitted. */
  readonly fitR2: number | null;
  /** The change per hour the forecast extrapolates. */
  readonly slopePerHour: number;
}

/** The gates a forecast must pass (the monitor's parsed `forecast` option). */
export interface ForecastGates {
  readonly minSpanMs: number;
  readonly minSamples: number;
  readonly minR2: number;
}

/** Defaults of the `forecast` option: an hour of history, 12 samples, r² 0.5. */
export const DEFAULT_FORECAST_GATES: Readonly<ForecastGates> = Object.freeze({
  minSpanMs: HOUR_MS,
  minSamples: 12,
  minR2: 0.5,
});

/** A gate's verdict: `ok`, or `insufficient_data` with one phrase per gate not met. */
export interface GateVerdict {
  readonly status: 'ok' | 'insufficient_data';
  /** E.g. `['span 10 s of 1 h', '10 of 12 samples', 'fit r² 0.12 below 0.5']`; empty when `ok`. */
  readonly missing: string[];
}

/**
 * Judges `evidence` against `gates`. The fit gate applies only where a line was fitted
 * (`fitR2 !== null`).
 */
export function judgeForecast(evidence: ForecastEvidence, gates: ForecastGates): GateVerdict {
  const missing: string[] = [];
  if (!(evidence.spanMs >= gates.minSpanMs))
    missing.push(`span ${describeMs(Math.max(0, evidence.spanMs))} of ${describeMs(gates.minSpanMs)}`);
  if (!(evidence.samples >= gates.minSamples))
    missing.push(`${evidence.samples} of ${gates.minSamples} samples`);
  if (evidence.fitR2 !== null && !(evidence.fitR2 >= gates.minR2))
    missing.push(`fit r² ${fmt(evidence.fitR2)} below ${fmt(gates.minR2)}`);
  return { status: missing.length === 0 ? 'ok' : 'insufficient_data', missing };
}
