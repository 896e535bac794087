import {
  context,
  createNoopMeter,
  isSpanContextValid,
  metrics,
  trace,
  type Attributes,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';
import { z } from 'zod';
import { parseOptions, resolveDeps, startPoller, type Deps, type Poller } from '../core/index.js';
import type { IncidentRecorder } from '../incidents/index.js';
import type { MonitorStatus } from '../monitor/index.js';
import type { GoldenSignals, RequestObserver } from '../signals/index.js';
import {
  createHttpInstruments,
  HttpAttributes,
  KNOWN_HTTP_METHODS,
  type HttpInstruments,
} from './http-metrics.js';
import { observeState } from './state-instruments.js';

/** What the bridge reads of a monitor: `createMonitor()` returns one. */
export interface OtelMonitor {
  status(): MonitorStatus;
  readonly incidents: Pick<IncidentRecorder, 'on' | 'update'>;
}

/** Options for {@link bridgeToOpenTelemetry}. */
export interface BridgeToOpenTelemetryOptions {
  /**
   * The meter provider. Without one, the global provider is used, resolved lazily: until an SDK
   * registers one (`metrics.setGlobalMeterProvider`, `NodeSDK.start()`), measurements are kept (up to
   * `maxPending`) and replayed into the SDK's instruments when it appears, so none is lost.
   * @default the global meter provider, when one is registered
   */
  readonly meterProvider?: MeterProvider;
  /** The monitor whose state (SLOs, breakers, components, incidents, saturation) is observed. @default none */
  readonly monitor?: OtelMonitor;
  /**
   * The HTTP adapter whose requests become `http.server.*` metrics: `sreMiddleware(...)` on Express,
   * `fastify.sre` on Fastify (anything with the golden `signals`).
   * @default none
   */
  readonly http?: { readonly signals: GoldenSignals };
  /** The instrumentation scope (meter) name. @default 'sre-kit' */
  readonly meterName?: string;
  /** Record `http.server.active_requests` (an optional metric of the conventions). @default true */
  readonly activeRequests?: boolean;
  /**
   * HTTP methods recorded as themselves; any other is `_OTHER` (the conventions' override of the known
   * methods).
   * @default ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']
   */
  readonly knownMethods?: readonly string[];
  /**
   * HTTP measurements kept while no meter provider is registered; past it they are dropped and counted
   * in `pendingDropped`.
   * @default 10_000
   */
  readonly maxPending?: number;
  /** How often the global provider is looked for while none is registered, in ms. @default 1_000 */
  readonly resolveIntervalMs?: number;
}

/** The running bridge. */
export interface OpenTelemetryBridge {
  /** Whether the instruments exist on a real (SDK) meter yet. */
  readonly resolved: boolean;
  /** HTTP measurements dropped because more than `maxPending` waited for a meter provider. */
  readonly pendingDropped: number;
  /** Detaches from the adapter and the monitor and unregisters the gauges. Idempotent. */
  close(): void;
  [Symbol.dispose](): void;
}

const hasMethods = (what: string, ...methods: string[]) =>
  z.custom<never>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    { message: `${what} (${methods.join(', ')})` },
  );

/** @internal The schema {@link BridgeToOpenTelemetryOptions} is checked against (bound by a type test). */
export const bridgeOptionsSchema = z
  .strictObject({
    meterProvider: hasMethods('a meter provider', 'getMeter').optional(),
    monitor: z
      .custom<never>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { status?: unknown }).status === 'function' &&
          typeof (v as { incidents?: { on?: unknown } }).incidents?.on === 'function',
        { message: 'a monitor (status, incidents): createMonitor() returns one' },
      )
      .optional(),
    http: z
      .custom<never>(
        (v) =>
          // Express's middleware is a function carrying `signals`; Fastify's decoration an object.
          (typeof v === 'object' || typeof v === 'function') &&
          v !== null &&
          typeof (v as { signals?: { observe?: unknown } }).signals?.observe === 'function',
        { message: 'an adapter with golden signals: sreMiddleware(...) or fastify.sre' },
      )
      .optional(),
    meterName: z.string().min(1).max(255).default('sre-kit'),
    activeRequests: z.boolean().default(true),
    knownMethods: z
      .array(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP method token'))
      .max(100)
      .readonly()
      .default([...KNOWN_HTTP_METHODS]),
    maxPending: z.number().int().min(0).max(1_000_000).default(10_000),
    resolveIntervalMs: z.number().int().min(10).max(3_600_000).default(1_000),
  })
  .refine((v) => v.monitor !== undefined || v.http !== undefined, {
    path: ['http'],
    message: 'a monitor or an HTTP adapter (the bridge has nothing to observe without one)',
  });

// A no-op meter's class: how a global provider that is still the API's no-op one is told apart.
const NOOP_METER_CLASS = (createNoopMeter() as object).constructor;

type Pending =
  | { readonly kind: 'duration'; readonly value: number; readonly attributes: Attributes }
  | { readonly kind: 'active'; readonly value: number; readonly attributes: Attributes };

/**
 * Bridges sre-kit to OpenTelemetry: every request the HTTP adapter measures becomes
 * `http.server.request.duration` and `http.server.active_requests` exactly as the HTTP semantic
 * conventions define them, and the monitor's state (SLO budgets and burn rates, breakers, components,
 * open incidents, saturation) becomes observable gauges read from one `monitor.status()` per
 * collection. When a tracer is active, the active span's trace id becomes the request's latency
 * exemplar in `/metrics` and the `trace_id` label of an incident opened during it. The meter is
 * resolved lazily: a bridge created before the SDK registers loses nothing.
 *
 * @example
 * ```ts
 * const sre = sreMiddleware({ latency, slos });
 * app.use(sre);
 * const bridge = bridgeToOpenTelemetry({ monitor, http: sre }); // the global MeterProvider, whenever it registers
 * ```
 * @throws {ConfigError} when the options are invalid, or the adapter is already bridged.
 */
export function bridgeToOpenTelemetry(
  options: BridgeToOpenTelemetryOptions,
  deps?: Deps,
): OpenTelemetryBridge {
  const opts = parseOptions(bridgeOptionsSchema, options, 'bridgeToOpenTelemetry');
  const { clock, onInternalError } = resolveDeps(deps);
  const report = (task: string) => (error: unknown) =>
    onInternalError(error, { source: 'bridgeToOpenTelemetry', task });
  const provided = options.meterProvider;
  const monitor = options.monitor;
  const attributes = new HttpAttributes(opts.knownMethods);
  const pending: Pending[] = [];
  let pendingDropped = 0;
  let http: HttpInstruments | undefined;
  let unobserveState: (() => void) | undefined;
  let poller: Poller | undefined;
  let closed = false;

  const meterNow = (): Meter | undefined => {
    const provider = provided ?? metrics.getMeterProvider();
    const meter = provider.getMeter(opts.meterName);
    return provided === undefined && (meter as object).constructor === NOOP_METER_CLASS ? undefined : meter;
  };

  // Creates the instruments once a real meter exists, and replays what waited for it.
  const resolve = (): HttpInstruments | undefined => {
    if (http !== undefined || closed) return http;
    const meter = meterNow();
    if (meter === undefined) return undefined;
    http = createHttpInstruments(meter, opts.activeRequests);
    if (monitor !== undefined)
      unobserveState = observeState(meter, () => monitor.status(), report('observe'));
    poller?.stop();
    for (const p of pending.splice(0)) {
      if (p.kind === 'duration') http.duration.record(p.value, p.attributes);
      else http.active?.add(p.value, p.attributes);
    }
    return http;
  };

  const keep = (entry: Pending): void => {
    if (pending.length < opts.maxPending) pending.push(entry);
    else pendingDropped++;
  };

  const activeTraceId = (): string | undefined => {
    const span = trace.getSpan(context.active());
    if (span === undefined) return undefined;
    const sc = span.spanContext();
    return isSpanContextValid(sc) ? sc.traceId : undefined;
  };

  const observer: RequestObserver = {
    started(method, scheme) {
      if (!opts.activeRequests) return;
      const a = attributes.active(method, scheme);
      const instruments = http ?? resolve();
      if (instruments === undefined) keep({ kind: 'active', value: 1, attributes: a });
      else instruments.active?.add(1, a);
    },
    finished(method, route, status, durationMs, aborted, scheme) {
      const instruments = http ?? resolve();
      const a = attributes.finished(method, route, status, aborted, scheme);
      const seconds = durationMs / 1000;
      if (instruments === undefined) {
        keep({ kind: 'duration', value: seconds, attributes: a });
        if (opts.activeRequests)
          keep({ kind: 'active', value: -1, attributes: attributes.active(method, scheme) });
        return;
      }
      instruments.duration.record(seconds, a);
      instruments.active?.add(-1, attributes.active(method, scheme));
    },
    activeTraceId,
  };

  const detach = options.http?.signals.observe(observer);

  // An incident opened while a span is active (a breaker that opened during a request) names its trace.
  const unsubscribe = monitor?.incidents.on('opened', ({ incident }) => {
    const traceId = activeTraceId();
    if (traceId === undefined) return;
    monitor.incidents
      .update(incident.id, { labels: { ...incident.labels, trace_id: traceId }, by: 'opentelemetry' })
      .catch(report('incident trace id'));
  });

  if (resolve() === undefined)
    poller = startPoller({
      clock,
      intervalMs: opts.resolveIntervalMs,
      task: resolve,
      onError: onInternalError,
      source: 'bridgeToOpenTelemetry',
    });

  const close = (): void => {
    if (closed) return;
    closed = true;
    poller?.stop();
    detach?.();
    unsubscribe?.();
    unobserveState?.();
    pending.length = 0;
  };

  return {
    get resolved() {
      return http !== undefined;
    },
    get pendingDropped() {
      return pendingDropped;
    },
    close,
    [Symbol.dispose]: close,
  };
}
