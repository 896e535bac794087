import type { Clock, InternalErrorHandler } from '../core/index.js';
import { createAnomalyDetector, type AnomalyDetector } from '../anomaly/index.js';
import type { AlertRouter, Severity } from '../incidents/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import { AnomalyFeed, GOLDEN_SIGNAL_ANOMALY_SIGNALS } from './anomaly-feed.js';
import { ErrorInsights } from './error-insights.js';
import { ExternalPredictions } from './external-predictions.js';
import type { HistorySnapshot } from './history.js';
import type { Condition, MonitorAlert } from './incident-conditions.js';
import type { AnomalyReport, ErrorGroupReport, ExternalPrediction } from './insight-schemas.js';
import type { HealthReportInput } from './health-report.js';
import type { MonitorOptions } from './types.js';

// The monitor's judgment inputs beyond its primitives: error groups (top errors, new error types),
// the anomaly detector fed with the golden signals, and the predictions other agents send. One object
// so the monitor wires them in a few lines: restored from and saved with the history file, swept at
// every evaluation, read by the reports.

/** Error groups listed by a report. */
const LISTED_ERROR_GROUPS = 10;

/** What {@link Insights} needs from the monitor. */
export interface InsightsOptions {
  readonly service: string;
  readonly errors: MonitorOptions['errors'];
  readonly anomalies: MonitorOptions['anomalies'];
  readonly signals: MonitorOptions['signals'];
  readonly saturation: Pick<SaturationMonitor, 'snapshot'> | undefined;
  /** The service-wide p99 latency now, ms, when a latency tracker is wired. */
  readonly latencyP99: () => number | undefined;
  readonly newErrorWindowMs: number;
  readonly anomalyIncidents: Severity | false;
  readonly alerts: AlertRouter;
  readonly clock: Clock;
  readonly onError: InternalErrorHandler;
  readonly source: string;
}

/** Errors, anomalies and external predictions, as the monitor uses them. */
export class Insights {
  readonly #options: InsightsOptions;
  readonly #errors: ErrorInsights | undefined;
  readonly #detector: AnomalyDetector | undefined;
  readonly #feed: AnomalyFeed | undefined;
  readonly #external = new ExternalPredictions();

  constructor(options: InsightsOptions) {
    this.#options = options;
    const { clock, onError, source } = options;
    const send = (alert: MonitorAlert): void => this.#send(alert);
    if (options.errors !== undefined)
      this.#errors = new ErrorInsights({
        errors: options.errors,
        service: options.service,
        startedAt: clock.wallNow(),
        newWithinMs: options.newErrorWindowMs,
        send,
        onError,
        source,
      });
    this.#detector =
      options.anomalies === true
        ? createAnomalyDetector(
            { signals: GOLDEN_SIGNAL_ANOMALY_SIGNALS },
            { clock, onInternalError: onError },
          )
        : options.anomalies;
    if (this.#detector !== undefined)
      this.#feed = new AnomalyFeed({
        detector: this.#detector,
        service: options.service,
        routes: options.signals,
        latencyP99: options.latencyP99,
        saturation: options.saturation,
        incidentSeverity: options.anomalyIncidents,
        send,
        onError,
        source,
      });
  }

  /** Subscribes to the error groups' and the detector's events; returns the unsubscribers. */
  subscribe(): (() => void)[] {
    return [
      ...(this.#errors === undefined ? [] : [this.#errors.subscribe()]),
      ...(this.#feed?.subscribe() ?? []),
    ];
  }

  /** Takes over what a history file kept: the detector's baselines and the error types known. */
  restore(snapshot: HistorySnapshot): void {
    if (snapshot.knownErrors !== undefined) this.#errors?.restore(snapshot.knownErrors);
    if (snapshot.anomalies !== undefined && this.#detector !== undefined) {
      try {
        this.#detector.restore(snapshot.anomalies);
      } catch (error) {
        // Baselines taken with other settings, or damaged: learn afresh rather than not start.
        this.#options.onError(error, { source: this.#options.source, task: 'restore anomaly baselines' });
      }
    }
  }

  /** What the history file keeps of these. */
  toJSON(now: number): Pick<HistorySnapshot, 'knownErrors' | 'anomalies'> {
    return {
      ...(this.#errors === undefined ? {} : { knownErrors: this.#errors.toJSON(now) }),
      ...(this.#detector === undefined ? {} : { anomalies: this.#detector.snapshot() }),
    };
  }

  /**
   * One evaluation: feeds the golden signals, resolves quiet new-error alerts and expired predictions,
   * and returns the anomaly conditions (when anomalies are incident sources).
   */
  evaluate(now: number): Condition[] {
    this.#feed?.feed(now);
    this.#errors?.sweep(now);
    for (const gone of this.#external.expire(now))
      this.#send({
        ...this.#predictionAlert(gone),
        status: 'resolved',
        summary: `${this.#predictionAlert(gone).summary} (expired)`,
      });
    return this.#feed?.conditions() ?? [];
  }

  /** The parts of the health report these add. */
  healthParts(now: number): Pick<HealthReportInput, 'errors' | 'anomalies'> {
    return {
      errors:
        this.#errors === undefined
          ? undefined
          : {
              groups: this.#errors.report(now, LISTED_ERROR_GROUPS),
              fields: this.#errors.serviceFields(now),
            },
      anomalies: this.#feed?.statusReport(),
    };
  }

  /** The anomaly and external predictions for a health report. */
  predictions(now: number): Pick<AnomalyReport, 'predictions' | 'external'> {
    return { predictions: this.#feed?.predictionReport() ?? [], external: this.#external.list(now) };
  }

  /** The top error groups for a performance analysis, when error groups are wired. */
  errorGroups(now: number): ErrorGroupReport[] | undefined {
    return this.#errors?.report(now, LISTED_ERROR_GROUPS);
  }

  anomalyReport(now: number): AnomalyReport {
    return {
      detector: this.#feed !== undefined,
      signals: this.#feed?.statusReport() ?? [],
      ...this.predictions(now),
    };
  }

  ingestPrediction(input: unknown, now: number): ExternalPrediction {
    const prediction = this.#external.ingest(input, now);
    this.#send({ ...this.#predictionAlert(prediction), status: 'firing' });
    return prediction;
  }

  #predictionAlert(p: ExternalPrediction): Omit<MonitorAlert, 'status'> {
    return {
      name: 'PredictedAnomaly',
      severity: p.severity,
      service: this.#options.service,
      summary: `${p.source} predicts ${p.signal} at ${p.at} (confidence ${Math.round(p.confidence * 100)} %): ${p.summary}`,
      dedupKey: `prediction:${p.source}:${p.signal}`,
      labels: { source: p.source, signal: p.signal },
      source: 'prediction',
    };
  }

  #send(alert: MonitorAlert): void {
    try {
      this.#options.alerts.send(alert);
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: `alert ${alert.dedupKey}` });
    }
  }
}
