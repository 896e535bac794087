/** The two exposition formats sre-kit renders. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** The `Content-Type` header value of each format. */
export const METRICS_CONTENT_TYPE: Readonly<Record<ExpositionFormat, string>> = Object.freeze({
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
});

/**
 * Picks the format a scraper asked for in its `Accept` header: OpenMetrics when it lists
 * `application/openmetrics-text` with a higher (or equal, earlier) weight than plain text, else
 * Prometheus text 0.0.4, which every scraper reads.
 */
export function negotiateMetricsFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || !accept.includes('openmetrics')) return 'prometheus';
  let best: ExpositionFormat = 'prometheus';
  let bestWeight = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (!Number.isFinite(weight)) continue;
    const mediaType = type.trim().toLowerCase();
    const format: ExpositionFormat | undefined =
      mediaType === 'application/openmetrics-text'
        ? 'openmetrics'
        : mediaType === 'text/plain' || mediaType === '*/*'
          ? 'prometheus'
          : undefined;
    if (format !== undefined && weight > bestWeight) {
      best = format;
      bestWeight = weight;
    }
  }
  return best;
}
