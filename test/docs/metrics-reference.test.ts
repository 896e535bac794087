// The metrics reference (docs/metrics.md, the table under `<!-- table: metrics -->`) must list exactly
// the series sre-kit exposes: every family's name as Prometheus text writes it, its type and its labels
// (`le` and `quantile` aside). Real primitives are driven until every family has a sample, rendered with
// renderMetrics, and the exposition is compared with the table.
import { describe, expect, it } from 'vitest';
import {
  breakerMetrics,
  createCircuitBreaker,
  createErrorGroups,
  createGoldenSignals,
  createLatencyTracker,
  createSaturationMonitor,
  createSloTracker,
  latencyMetrics,
  renderMetrics,
  saturationMetrics,
  sloMetrics,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';
import { codeSpans, docFiles, markedTables } from './markdown.js';

interface Family {
  readonly type: string;
  readonly labels: readonly string[];
}

/** Families of a Prometheus text exposition: name (as in TYPE) → type and sorted label names. */
function parseExposition(text: string): Map<string, Family> {
  const types = new Map<string, string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) {
      types.set(type[1] as string, type[2] as string);
      labels.set(type[1] as string, new Set());
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (sample === null) throw new Error(`unparsed sample line: ${line}`);
    const name = sample[1] as string;
    // A sample belongs to the family whose TYPE name it extends (`_bucket`, `_sum`, `_count`).
    const family = [...types.keys()].find(
      (f) => name === f || name === `${f}_bucket` || name === `${f}_sum` || name === `${f}_count`,
    );
    if (family === undefined) throw new Error(`sample ${name} has no TYPE line`);
    for (const [, label] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g))
      if (label !== 'le' && label !== 'quantile') labels.get(family)?.add(label as string);
  }
  return new Map(
    [...types].map(([name, type]) => [name, { type, labels: [...(labels.get(name) ?? [])].sort() }]),
  );
}

/** Drives every primitive that exposes metrics until each of its families has samples, then renders. */
async function renderEverything(): Promise<string> {
  const clock = createFakeClock({ start: '2026-03-02T00:00:00Z' });
  const latency = createLatencyTracker({ thresholdsMs: [200] }, { clock });
  const dbLatency = createLatencyTracker({}, { clock });
  const slo = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
    { clock },
  );
  const breaker = createCircuitBreaker(
    { name: 'payments', timeoutMs: 1_000, slowCall: { thresholdMs: 10, ratio: 0.5 } },
    { clock },
  );
  const saturation = createSaturationMonitor({ eventLoopDelay: { maxP99Ms: 200 } }, { clock });
  let overloaded = false;
  const signals = createGoldenSignals(
    {
      latency,
      slos: [slo],
      saturation: {
        overloaded: () => (overloaded ? { reason: 'eventLoopDelay', value: 300, limit: 200 } : false),
      },
      shedding: true,
      maxRoutes: 2,
    },
    { clock },
  );
  for (const [route, status] of [
    ['/orders/:id', 200],
    ['/orders/:id', 500],
    ['/users/:id', 404],
  ] as const) {
    const t = signals.start();
    clock.advance(12);
    signals.finish('GET', route, status, t, 'completed', '0af7651916cd43dd8448eb211c80319c');
  }
  signals.finish('GET', '/orders/:id', 0, signals.start(), 'aborted');
  overloaded = true;
  signals.admit();
  dbLatency.record(3, 'SELECT orders');
  slo.record(true);
  await breaker.execute(() => Promise.resolve('ok'));
  const errors = createErrorGroups({}, { clock });
  errors.capture(new TypeError('x is undefined'), { route: 'GET /orders/:id', status: 500 });
  const text = renderMetrics([
    errors,
    signals,
    sloMetrics([slo]),
    breakerMetrics([breaker]),
    saturationMetrics(saturation),
    latencyMetrics(dbLatency),
  ]);
  slo.close();
  breaker.close();
  await Promise.all([latency.close(), dbLatency.close(), saturation.close()]);
  return text;
}

describe('metrics reference', () => {
  const documentedTables = docFiles().flatMap((doc) => markedTables(doc, 'metrics'));

  it('docs/metrics.md has exactly one metrics table', () => {
    expect(documentedTables.map((t) => t.file)).toEqual(['docs/metrics.md']);
  });

  it('lists every family sre-kit exposes, with its type and labels, and nothing else', async () => {
    const table = documentedTables[0];
    if (table === undefined) return; // reported above
    expect(table.header.slice(0, 3)).toEqual(['metric', 'type', 'labels']);
    const documented = new Map<string, Family>(
      table.rows.map((row) => [
        codeSpans(row.cells[0] ?? '')[0] ?? `(no name on line ${row.line})`,
        { type: row.cells[1] ?? '', labels: codeSpans(row.cells[2] ?? '').sort() },
      ]),
    );
    const exposed = parseExposition(await renderEverything());
    // Compared as sorted lists so a failure shows each differing family side by side.
    const asLines = (families: Map<string, Family>): string[] =>
      [...families].map(([name, f]) => `${name} ${f.type} {${f.labels.join(',')}}`).sort();
    expect(asLines(documented)).toEqual(asLines(exposed));
  });
});
