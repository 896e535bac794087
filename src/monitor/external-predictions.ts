import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import { iso, isRepresentableTime } from './format.js';
import type { ExternalPrediction } from './insight-schemas.js';

// Predictions other agents send (a data-intelligence agent forecasting a traffic surge, say): kept,
// latest per source and signal, until an hour after the time they predict, listed in health reports
// and raised as alerts so someone can act before it happens.

/** A prediction as another agent sends it. */
export interface PredictionInput {
  /** Who predicts it, e.g. `data-intelligence`. */
  readonly source: string;
  /** What it is about: a golden signal (`traffic`, `error_rate`, `latency_p99`, `saturation`) or any name. */
  readonly signal: string;
  /** When it is expected: epoch ms, a Date or an ISO-8601 string. */
  readonly at: number | Date | string;
  readonly severity: 'info' | 'warning' | 'critical';
  /** 0 to 1. */
  readonly confidence: number;
  /** One sentence for people. */
  readonly summary: string;
}

/** How long after its predicted time a prediction is still listed. */
export const PREDICTION_EXPIRY_MS = 3_600_000;
/** The most predictions held (the oldest received is dropped first). */
export const MAX_PREDICTIONS = 100;

const text = (max: number) => z.string().min(1).max(max);

/** @internal The schema of {@link PredictionInput}. */
export const predictionInputSchema = z.strictObject({
  source: text(128),
  signal: text(128),
  at: z.union([
    z.number().refine(isRepresentableTime, 'an epoch-ms time between 1970 and 9999'),
    z.date().refine((d) => isRepresentableTime(d.getTime()), 'a valid date between 1970 and 9999'),
    z.iso.datetime({ offset: true }),
  ]),
  severity: z.enum(['info', 'warning', 'critical']),
  confidence: z.number().min(0).max(1),
  summary: text(1_000),
});

/** A stored prediction and when it stops being listed. */
interface Held {
  readonly report: ExternalPrediction;
  readonly atMs: number;
}

/** The predictions received, bounded, latest per source and signal. */
export class ExternalPredictions {
  readonly #held = new Map<string, Held>();

  /**
   * Validates and keeps a prediction (replacing an earlier one from the same source about the same
   * signal) and returns it as reported.
   * @throws {ConfigError} naming the field when the input is not a {@link PredictionInput}.
   */
  ingest(input: unknown, now: number): ExternalPrediction {
    const parsed = parseOptions(predictionInputSchema, input, 'monitor.ingestPrediction');
    const atMs =
      typeof parsed.at === 'number'
        ? parsed.at
        : typeof parsed.at === 'string'
          ? Date.parse(parsed.at)
          : parsed.at.getTime();
    const report: ExternalPrediction = {
      source: parsed.source,
      signal: parsed.signal,
      at: iso(atMs),
      severity: parsed.severity,
      confidence: parsed.confidence,
      summary: parsed.summary,
      receivedAt: iso(now),
    };
    const key = `${parsed.source}\n${parsed.signal}`;
    this.#held.delete(key);
    if (this.#held.size >= MAX_PREDICTIONS) {
      const oldest = this.#held.keys().next().value;
      if (oldest !== undefined) this.#held.delete(oldest);
    }
    this.#held.set(key, { report, atMs });
    return report;
  }

  /** The predictions still current at `now` (up to an hour past their time), soonest first. */
  list(now: number): ExternalPrediction[] {
    const out: Held[] = [];
    for (const held of this.#held.values()) if (held.atMs + PREDICTION_EXPIRY_MS >= now) out.push(held);
    return out.sort((a, b) => a.atMs - b.atMs).map((h) => h.report);
  }

  /** Drops the predictions past their expiry and returns them (their alerts resolve). */
  expire(now: number): ExternalPrediction[] {
    const gone: ExternalPrediction[] = [];
    for (const [key, held] of this.#held)
      if (held.atMs + PREDICTION_EXPIRY_MS < now) {
        this.#held.delete(key);
        gone.push(held.report);
      }
    return gone;
  }
}
