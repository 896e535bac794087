import type { ExpositionFormat } from './content-type.js';
import type { Exemplar, MetricFamily, MetricLabels, MetricsSource } from './metric-family.js';

/** Options for {@link renderMetrics}. */
export interface RenderMetricsOptions {
  /** Prometheus text 0.0.4 or OpenMetrics 1.0 (which adds UNIT lines, exemplars and `# EOF`). @default 'prometheus' */
  readonly format?: ExpositionFormat;
}

/**
 * Renders metric families from every source as Prometheus text 0.0.4 or OpenMetrics 1.0. Families that
 * share a name across sources are rendered once, with all their samples, as both formats require.
 *
 * @example
 * ```ts
 * res.setHeader('content-type', METRICS_CONTENT_TYPE.prometheus);
 * res.end(renderMetrics([latencySource, saturationSource]));
 * ```
 */
export function renderMetrics(
  sources: Iterable<MetricsSource | MetricFamily>,
  options: RenderMetricsOptions = {},
): string {
  const openMetrics = options.format === 'openmetrics';
  const families = new Map<string, { family: MetricFamily; samples: MetricFamily['samples'][] }>();
  for (const source of sources) {
    for (const family of 'collect' in source ? source.collect() : [source]) {
      const seen = families.get(family.name);
      if (seen === undefined) families.set(family.name, { family, samples: [family.samples] });
      else seen.samples.push(family.samples);
    }
  }
  const out: string[] = [];
  for (const { family, samples } of families.values()) {
    const typeName = !openMetrics && family.type === 'counter' ? `${family.name}_total` : family.name;
    out.push(
      `# HELP ${typeName} ${escapeHelp(family.help, openMetrics)}\n# TYPE ${typeName} ${family.type}\n`,
    );
    if (openMetrics && family.unit !== undefined) out.push(`# UNIT ${family.name} ${family.unit}\n`);
    for (const group of samples) {
      for (const sample of group) {
        if (!openMetrics && sample.suffix === '_created') continue;
        let line = `${family.name}${sample.suffix ?? ''}${renderLabels(sample.labels, openMetrics)} ${formatValue(sample.value)}`;
        if (openMetrics && sample.exemplar !== undefined) line += renderExemplar(sample.exemplar);
        out.push(`${line}\n`);
      }
    }
  }
  if (openMetrics) out.push('# EOF\n');
  return out.join('');
}

function renderLabels(labels: MetricLabels | undefined, openMetrics: boolean): string {
  if (labels === undefined) return '';
  let out = '';
  for (const name in labels) {
    const raw = labels[name] as string;
    // `le` and `quantile` are numbers rendered as label values: keep one canonical spelling per format.
    const value = (name === 'le' || name === 'quantile') && openMetrics ? canonicalFloatLabel(raw) : raw;
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return out === '' ? '' : `{${out}}`;
}

function renderExemplar(exemplar: Exemplar): string {
  const ts = exemplar.timestampMs === undefined ? '' : ` ${formatValue(exemplar.timestampMs / 1000)}`;
  return ` # ${renderLabels(exemplar.labels, true) || '{}'} ${formatValue(exemplar.value)}${ts}`;
}

/** Formats a sample value: `+Inf`, `-Inf`, `NaN`, or JavaScript's shortest round-trip decimal. */
export function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function canonicalFloatLabel(value: string): string {
  return /^-?\d+$/.test(value) ? `${value}.0` : value;
}

function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
    : value;
}

function escapeHelp(help: string, openMetrics: boolean): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return openMetrics ? escaped.replace(/"/g, '\\"') : escaped;
}
