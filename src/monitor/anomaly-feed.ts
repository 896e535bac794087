import type { InternalErrorHandler } from '../core/index.js';
import type { AnomalyDetector, AnomalySignalOptions, AnomalyStatus } from '../anomaly/index.js';
import type { Severity } from '../incidents/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import type { RouteSignals } from '../signals/index.js';
import { describeMs, fmt, iso } from './format.js';
import type { Condition, MonitorAlert } from './incident-conditions.js';
import type { AnomalyPredictionReport, AnomalyStatusReport } from './insight-schemas.js';

// The monitor feeds the golden signals to an anomaly detector once per bucket: traffic (requests in
// the bucket) and error rate from the adapters' per-route counts, p99 latency from the latency
// tracker, saturation (event-loop utilization) from the saturation monitor. The counts are read at the
// monitor's evaluations, so a bucket's edges are as exact as `evaluateIntervalMs`. An anomaly raises a
// warning alert through the router; with `autoIncidents.anomaly` set it is an incident source instead.

/**
 * How the monitor's detector judges each golden signal: traffic both ways (a drop is as telling as a
 * surge), the rest only upwards; floors so a flat signal's first small move is no anomaly (an error
 * rate must move by 3 points, p99 by 5 % or 3 ms × sensitivity / 3). Use them for your own detector:
 * `createAnomalyDetector({ signals: GOLDEN_SIGNAL_ANOMALY_SIGNALS })`.
 */
export const GOLDEN_SIGNAL_ANOMALY_SIGNALS: Readonly<Record<GoldenSignal, AnomalySignalOptions>> =
  Object.freeze({
    traffic: Object.freeze({ direction: 'both', aggregate: 'last', floor: 1 }),
    error_rate: Object.freeze({ direction: 'up', aggregate: 'last', floor: 0.01 }),
    latency_p99: Object.freeze({ direction: 'up', aggregate: 'last', floor: 1, relativeFloor: 0.05 }),
    saturation: Object.freeze({ direction: 'up', aggregate: 'last', floor: 0.05 }),
  });

/** The golden signals the monitor feeds. */
export type GoldenSignal = 'traffic' | 'error_rate' | 'latency_p99' | 'saturation';

/** What {@link AnomalyFeed} reads and where its alerts go. */
export interface AnomalyFeedOptions {
  readonly detector: AnomalyDetector;
  readonly service: string;
  /** Per-route requests and errors (the adapters' golden signals). */
  readonly routes: { routes(): readonly RouteSignals[] } | undefined;
  /** The service-wide p99 latency now, ms, when a latency tracker is wired. */
  readonly latencyP99: () => number | undefined;
  readonly saturation: Pick<SaturationMonitor, 'snapshot'> | undefined;
  /** `false`: anomalies raise alerts only; a severity: they are incident sources with it. */
  readonly incidentSeverity: Severity | false;
  readonly send: (alert: MonitorAlert) => void;
  readonly onError: InternalErrorHandler;
  readonly source: string;
}

interface Counts {
  readonly requests: number;
  readonly errors: number;
}

/** Feeds the golden signals to the detector and turns its judgments into alerts or conditions. */
export class AnomalyFeed {
  readonly #options: AnomalyFeedOptions;
  /** The bucket the last feed saw, and the counts at its start. */
  #bucket: number | undefined;
  #base: Counts | undefined;

  constructor(options: AnomalyFeedOptions) {
    this.#options = options;
  }

  /** Alerts on the detector's events (when anomalies are not incident sources); returns the unsubscribers. */
  subscribe(): (() => void)[] {
    const { detector, incidentSeverity, send } = this.#options;
    if (incidentSeverity !== false) return [];
    return [
      detector.on('anomalous', (e) => {
        const status = detector.status().find((s) => s.signal === e.signal);
        if (status !== undefined) send({ ...this.#alert(status), status: 'firing' });
      }),
      detector.on('recovered', (e) => {
        const status = detector.status().find((s) => s.signal === e.signal);
        if (status !== undefined)
          send({
            ...this.#alert(status),
            status: 'resolved',
            summary: `${e.signal} is back within its band after ${describeMs(e.anomalousForMs)}`,
          });
      }),
    ];
  }

  /**
   * Called at every evaluation: once a bucket has ended, observes each golden signal for it and has
   * the detector close it (events and alerts follow).
   */
  feed(now: number): void {
    const { detector } = this.#options;
    const bucketMs = detector.bucketMs;
    const bucket = Math.floor(now / bucketMs);
    if (this.#bucket === undefined) {
      this.#bucket = bucket;
      this.#base = this.#counts();
      return;
    }
    if (bucket <= this.#bucket) return;
    // Evaluations further apart than a bucket spread the counts over the buckets they spanned.
    const spanned = bucket - this.#bucket;
    const at = (bucket - 1) * bucketMs;
    const counts = this.#counts();
    const base = this.#base;
    if (counts !== undefined && base !== undefined && counts.requests >= base.requests) {
      const requests = (counts.requests - base.requests) / spanned;
      const errors = Math.max(0, counts.errors - base.errors) / spanned;
      detector.observe('traffic', requests, at);
      detector.observe('error_rate', requests > 0 ? Math.min(1, errors / requests) : 0, at);
    }
    const p99 = this.#options.latencyP99();
    if (p99 !== undefined && Number.isFinite(p99)) detector.observe('latency_p99', p99, at);
    const elu = this.#read(() => this.#options.saturation?.snapshot().eventLoopUtilization, 'saturation');
    if (elu !== undefined && Number.isFinite(elu)) detector.observe('saturation', elu, at);
    this.#bucket = bucket;
    this.#base = counts;
    detector.evaluate();
  }

  /** Each signal's state as an incident condition (when anomalies are incident sources). */
  conditions(): Condition[] {
    const severity = this.#options.incidentSeverity;
    if (severity === false) return [];
    return this.#status().flatMap((status) => {
      if (status.state === 'insufficient_data') return [];
      return [
        {
          key: `anomaly:${status.signal}`,
          active: status.anomalous,
          severity,
          alert: this.#alert(status),
          impact: `${status.signal} at ${fmt(status.value)} against ${fmt(status.expected)} expected (band ${fmt(status.band[0])} to ${fmt(status.band[1])}, score ${fmt(status.score)})`,
          magnitude: Math.abs(status.score),
          subject: `Signal ${status.signal}`,
          recovered: 'is back within its band',
        },
      ];
    });
  }

  /** Every signal's status for the reports. */
  statusReport(): AnomalyStatusReport[] {
    return this.#status().map((s) => {
      const known = (v: number): number | null => (Number.isFinite(v) ? v : null);
      const judged = s.state !== 'insufficient_data';
      return {
        signal: s.signal,
        state: s.state,
        value: known(s.value),
        expected: judged ? known(s.expected) : null,
        band:
          judged && Number.isFinite(s.band[0]) && Number.isFinite(s.band[1]) ? [s.band[0], s.band[1]] : null,
        score: judged ? known(s.score) : null,
        anomalous: s.anomalous,
        since: judged && s.since !== undefined ? iso(s.since) : null,
        at: Number.isFinite(s.at) ? iso(s.at) : null,
        evidence: { ...s.evidence, scale: known(s.evidence.scale) },
      };
    });
  }

  /** The detector's predictions for the reports. */
  predictionReport(): AnomalyPredictionReport[] {
    const predictions = this.#read(() => this.#options.detector.predictions(), 'predictions') ?? [];
    return predictions.map((p) => ({ ...p, at: iso(p.at), evidence: { ...p.evidence } }));
  }

  #status(): AnomalyStatus[] {
    return this.#read(() => this.#options.detector.status(), 'status') ?? [];
  }

  #alert(status: AnomalyStatus): Omit<MonitorAlert, 'status'> {
    const key = `anomaly:${status.signal}`;
    const base = {
      name: 'AnomalyDetected',
      severity: 'warning' as const,
      service: this.#options.service,
      dedupKey: key,
      labels: { signal: status.signal },
      source: 'anomaly',
    };
    if (status.state === 'insufficient_data') return { ...base, summary: `${status.signal} is anomalous` };
    const [lo, hi] = status.band;
    return {
      ...base,
      summary: `${status.signal} is anomalous: ${fmt(status.value)} against ${fmt(status.expected)} expected (score ${fmt(status.score)})`,
      description: `Outside its band ${fmt(lo)} to ${fmt(hi)} in ${status.evidence.recentAnomalous} of the last ${status.evidence.recentWindow} buckets; the baseline rests on ${status.evidence.buckets} buckets (${Math.round(status.evidence.seasonalWeight * 100)} % hour-of-week).`,
    };
  }

  #counts(): Counts | undefined {
    const routes = this.#read(() => this.#options.routes?.routes(), 'route signals');
    if (routes === undefined) return undefined;
    let requests = 0;
    let errors = 0;
    for (const r of routes) {
      requests += r.requests;
      errors += r.errors;
    }
    return { requests, errors };
  }

  #read<T>(read: () => T, what: string): T | undefined {
    try {
      return read();
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: `anomaly ${what}` });
      return undefined;
    }
  }
}
