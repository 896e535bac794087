import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';

// The OpenTelemetry SDK with an in-memory exporter, collected on demand: what the conformance tests
// read the bridge's metrics from.

/** A meter provider whose metrics a test collects when it wants them. */
export interface SdkUnderTest {
  readonly provider: MeterProvider;
  /** Collects now and returns every metric, by name. */
  collect(): Promise<Map<string, MetricData>>;
  shutdown(): Promise<void>;
}

/** An SDK meter provider with cumulative temporality, exported only when collected. */
export function sdkUnderTest(): SdkUnderTest {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exported by hand (forceFlush): the interval never elapses within a test.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 2_147_483_647 });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async collect() {
      exporter.reset();
      await reader.forceFlush();
      const out = new Map<string, MetricData>();
      for (const resource of exporter.getMetrics())
        for (const scope of resource.scopeMetrics)
          for (const metric of scope.metrics) out.set(metric.descriptor.name, metric);
      return out;
    },
    shutdown: () => provider.shutdown(),
  };
}

/** The data points of a histogram metric, keyed by their attributes as JSON (sorted keys). */
export function histogramPoints(metric: MetricData | undefined): Map<string, DataPoint<Histogram>> {
  const out = new Map<string, DataPoint<Histogram>>();
  for (const point of (metric?.dataPoints ?? []) as DataPoint<Histogram>[])
    out.set(attributeKey(point.attributes), point);
  return out;
}

/** The data points of a sum or gauge metric: attributes as JSON → value. */
export function valuePoints(metric: MetricData | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const point of (metric?.dataPoints ?? []) as DataPoint<number>[])
    out.set(attributeKey(point.attributes), point.value);
  return out;
}

/** Attributes as JSON with sorted keys, to compare sets. */
export function attributeKey(attributes: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b))),
  );
}
