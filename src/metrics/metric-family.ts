/** Label names and values of one series; names must match `[a-zA-Z_][a-zA-Z0-9_]*`. */
export type MetricLabels = Readonly<Record<string, string>>;

/** A trace exemplar attached to a sample (rendered in OpenMetrics only). */
export interface Exemplar {
  /** Usually `{ trace_id }`; at most 128 characters of names and values together. */
  readonly labels: MetricLabels;
  /** The observed value the exemplar stands for (for latency, in the family's unit). */
  readonly value: number;
  /** When it was observed, epoch ms. */
  readonly timestampMs?: number;
}

/** One sample line: the family name plus `suffix`, its labels and value. */
export interface MetricSample {
  /** Appended to the family name: `_total` on counters, `_bucket` / `_sum` / `_count` on histograms. */
  readonly suffix?: '' | '_total' | '_bucket' | '_sum' | '_count' | '_created';
  readonly labels?: MetricLabels;
  readonly value: number;
  readonly exemplar?: Exemplar;
}

/** The metric types sre-kit renders. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/**
 * A metric family in exposition order. Counters are named without `_total` (their samples carry the
 * suffix), as OpenMetrics requires; the Prometheus text renderer writes the `_total` name in TYPE lines.
 */
export interface MetricFamily {
  /** `[a-zA-Z_:][a-zA-Z0-9_:]*`; ends with `_<unit>` when `unit` is set. */
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /** The OpenMetrics UNIT, in base units (`seconds`, `bytes`, `ratio`). */
  readonly unit?: string;
  readonly samples: readonly MetricSample[];
}

/** Anything that yields metric families on demand: one per primitive. */
export interface MetricsSource {
  /** Called once per scrape; cost grows with the number of series, never with the traffic seen. */
  collect(): Iterable<MetricFamily>;
}
