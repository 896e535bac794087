// What the OpenTelemetry bridge adds to each request. The golden signals' start() + finish() is the
// adapters' per-request work; the bridge hooks into it. Measured in one process, interleaved:
// - the golden signals alone (the baseline);
// - with the bridge on a no-op meter: the bridge's own work (method check, cached attributes, the
//   trace-id read), the figure issue 17 bounds at 1 µs;
// - with the bridge on the real SDK (sdk-metrics, cumulative, no exporter running): everything;
// - the SDK calls alone, with attributes built once (histogram.record + two up-down counter adds):
//   what the semantic conventions cost in any instrumentation, the floor under the previous line.
import { createNoopMeter, type MeterProvider } from '@opentelemetry/api';
import { MeterProvider as SdkMeterProvider } from '@opentelemetry/sdk-metrics';
import { bridgeToOpenTelemetry, HTTP_SERVER_DURATION_BUCKETS } from '../src/otel/index.js';
import { createFakeClock } from '../src/testing/index.js';
import { createGoldenSignals } from '../src/signals/index.js';
import { compare, formatNs, report } from './harness.js';

const ROUTES = ['/users/:id', '/orgs/:org/repos/:repo', '/items/:id', '/search'];
// Every case records the same durations (the SDK's histogram costs more for some values than others):
// the golden signals run on a fake clock advanced by them.
const DURATIONS_MS = [0.4, 12, 90, 300];
const clock = createFakeClock();
let n = 0;

function request(signals: ReturnType<typeof createGoldenSignals>): number {
  const i = n++ & 3;
  const t = signals.start('GET', 'http');
  clock.advance(DURATIONS_MS[i]!);
  return signals.finish('GET', ROUTES[i], 200, t, 'completed', undefined, 'http');
}

const bare = createGoldenSignals({}, { clock });
const noopBridged = createGoldenSignals({}, { clock });
const noopProvider: MeterProvider = { getMeter: () => createNoopMeter() };
bridgeToOpenTelemetry({ meterProvider: noopProvider, http: { signals: noopBridged } }, { clock });
const sdkBridged = createGoldenSignals({}, { clock });
const provider = new SdkMeterProvider();
bridgeToOpenTelemetry({ meterProvider: provider, http: { signals: sdkBridged } }, { clock });

const meter = new SdkMeterProvider().getMeter('raw');
const histogram = meter.createHistogram('http.server.request.duration', {
  unit: 's',
  advice: { explicitBucketBoundaries: [...HTTP_SERVER_DURATION_BUCKETS] },
});
const active = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
const activeAttributes = { 'http.request.method': 'GET', 'url.scheme': 'http' };
const durationAttributes = ROUTES.map((route) => ({
  ...activeAttributes,
  'http.route': route,
  'http.response.status_code': 200,
}));

const results = await compare('one request through the golden signals (start + finish)', {
  baseline: { name: 'golden signals alone', fn: () => request(bare) },
  cases: [
    { name: 'with the bridge, no-op meter', fn: () => request(noopBridged) },
    { name: 'with the bridge, sdk-metrics', fn: () => request(sdkBridged) },
    {
      name: 'sdk-metrics calls alone (attributes built once)',
      fn: () => {
        const i = n++ & 3;
        active.add(1, activeAttributes);
        clock.advance(DURATIONS_MS[i]!);
        histogram.record(DURATIONS_MS[i]! / 1000, durationAttributes[i]);
        active.add(-1, activeAttributes);
      },
    },
  ],
});

const [base, noop, sdk, raw] = results.map((r) => r.medianNs) as [number, number, number, number];
report('bridge overhead per request (no-op meter − alone)', formatNs(noop - base));
report('bridge overhead above the SDK (sdk − alone − SDK calls alone)', formatNs(sdk - base - raw));
report('issue 17 bar: bridge overhead <= 1 µs', noop - base <= 1_000 ? 'met' : 'NOT met');
await provider.shutdown();
