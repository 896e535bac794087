// sre-kit's events as structured log lines: the "log insights" path. Each event becomes one line on a
// pino-compatible logger (fields object first, message second), with `event` naming it and `trace_id`
// when the event carries one or the `traceId` hook finds one, so a fleet's log pipeline can count,
// join and alert on them.

import { z } from 'zod';
import { parseOptions, type EventMap, type EventSource, type Listener } from '../core/index.js';
import type { AnomalyDetectorEvents } from '../anomaly/index.js';
import type { ErrorGroupsEvents } from '../errors/index.js';
import type { HealthRegistryEvents } from '../health/index.js';
import type { AlertRouterEvents, Incident, IncidentRecorderEvents } from '../incidents/index.js';
import type { CircuitBreakerEvents } from '../resilience/index.js';
import type { SaturationEvents } from '../saturation/index.js';
import type { SloEvents } from '../slo/index.js';

/** The logger lines go to: pino's, bunyan's or anything with object-first `info`, `warn` and `error`. */
export interface StructuredLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Options for {@link createEventLogger}: the logger, what to listen to, and what to add to each line. */
export interface EventLoggerOptions {
  /** Where lines go (`pino()`, `fastify.log`, ...). */
  readonly logger: StructuredLogger;
  /** Incidents opened, acknowledged, reopened and resolved. */
  readonly incidents?: EventSource<IncidentRecorderEvents>;
  /** Circuit breakers opening, half-opening and closing. */
  readonly breakers?: readonly EventSource<CircuitBreakerEvents>[];
  /** Overload (load shedding on, when shedding is enabled) and recovery (off). */
  readonly saturation?: EventSource<SaturationEvents>;
  /** Anomaly alerts opening and clearing. */
  readonly anomalies?: EventSource<AnomalyDetectorEvents>;
  /** Error groups seen for the first time. */
  readonly errors?: EventSource<ErrorGroupsEvents>;
  /** Health checks changing status. */
  readonly health?: EventSource<HealthRegistryEvents>;
  /** SLO burn-rate alerts firing and resolving, budgets running out. */
  readonly slos?: readonly EventSource<SloEvents>[];
  /** Alert notifications that could not be delivered. */
  readonly alerts?: EventSource<AlertRouterEvents>;
  /**
   * Finds the current trace id for events that carry none (breaker and shedding transitions happen
   * inside a request): read your tracer's active span or an AsyncLocalStorage here.
   */
  readonly traceId?: () => string | undefined;
  /**
   * Fields added to every line, e.g. `{ service: 'checkout' }`.
   * @default {}
   */
  readonly bindings?: Readonly<Record<string, string | number | boolean>>;
}

/** A connection from event sources to a logger; `close()` unsubscribes everything. */
export interface EventLogger {
  /** Lines written so far, by level. */
  stats(): { readonly info: number; readonly warn: number; readonly error: number };
  /** Unsubscribes from every source. Idempotent. */
  close(): void;
  [Symbol.dispose](): void;
}

type Level = 'info' | 'warn' | 'error';

const source = (...methods: string[]) =>
  z.custom<unknown>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    { message: `an object with ${methods.join(', ')} methods` },
  );
const eventSource = source('on');
const fn = z.custom<() => unknown>((v) => typeof v === 'function', { message: 'a function' });

/** @internal The schema {@link EventLoggerOptions} is checked against. */
export const eventLoggerOptionsSchema = z.strictObject({
  logger: source('info', 'warn', 'error'),
  incidents: eventSource.optional(),
  breakers: z.array(eventSource).max(1_000).optional(),
  saturation: eventSource.optional(),
  anomalies: eventSource.optional(),
  errors: eventSource.optional(),
  health: eventSource.optional(),
  slos: z.array(eventSource).max(1_000).optional(),
  alerts: eventSource.optional(),
  traceId: fn.optional(),
  bindings: z
    .record(z.string().min(1).max(100), z.union([z.string().max(1_000), z.number(), z.boolean()]))
    .default({}),
});

/**
 * Connects sre-kit event sources to a pino-compatible logger: one structured line per event, with
 * `event` (e.g. `breaker.opened`), the event's fields, `trace_id` when known, and your bindings.
 *
 * @example
 * ```ts
 * const log = createEventLogger({ logger: pino(), incidents, breakers: [payments], saturation, anomalies, errors });
 * // {"level":40,"event":"breaker.opened","breaker":"payments","from":"closed","reason":"failureRate","msg":"circuit payments opened (failureRate)"}
 * log.close();
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createEventLogger(options: EventLoggerOptions): EventLogger {
  parseOptions(eventLoggerOptionsSchema, options, 'createEventLogger');
  const { logger, traceId } = options;
  const bindings = { ...(options.bindings ?? {}) };
  const counts = { info: 0, warn: 0, error: 0 };
  const unsubscribe: Array<() => void> = [];

  const write = (level: Level, event: string, fields: object, message: string, trace?: string): void => {
    const id = trace ?? traceId?.();
    counts[level]++;
    logger[level](
      { ...bindings, event, ...fields, ...(id === undefined || id === '' ? {} : { trace_id: id }) },
      message,
    );
  };
  const listen = <E extends EventMap, K extends keyof E & string>(
    from: EventSource<E>,
    name: K,
    listener: Listener<E[K]>,
  ): void => {
    unsubscribe.push(from.on(name, listener));
  };

  if (options.incidents !== undefined) {
    const incidents = options.incidents;
    const fields = (i: Incident) => ({
      incident: i.id,
      severity: i.severity,
      service: i.service,
      title: i.title,
      ...(i.dedupKey === undefined ? {} : { dedupKey: i.dedupKey }),
    });
    const traceOf = (i: Incident): string | undefined => i.labels.trace_id ?? i.labels.traceId;
    const urgent = (i: Incident): Level => (i.severity === 'P1' || i.severity === 'P2' ? 'error' : 'warn');
    listen(incidents, 'opened', ({ incident: i }) =>
      write(
        urgent(i),
        'incident.opened',
        { ...fields(i), impact: i.impact },
        `incident ${i.id} opened: ${i.title}`,
        traceOf(i),
      ),
    );
    listen(incidents, 'reopened', ({ incident: i }) =>
      write(
        urgent(i),
        'incident.reopened',
        { ...fields(i), reopenCount: i.reopenCount },
        `incident ${i.id} reopened: ${i.title}`,
        traceOf(i),
      ),
    );
    listen(incidents, 'acknowledged', ({ incident: i, by }) =>
      write(
        'info',
        'incident.acknowledged',
        { ...fields(i), ...(by === undefined ? {} : { by }) },
        `incident ${i.id} acknowledged`,
        traceOf(i),
      ),
    );
    listen(incidents, 'resolved', ({ incident: i }) =>
      write(
        'info',
        'incident.resolved',
        {
          ...fields(i),
          durationMs: (i.resolvedAt ?? i.lastOccurredAt) - i.openedAt,
          ...(i.resolution === undefined ? {} : { resolution: i.resolution }),
        },
        `incident ${i.id} resolved`,
        traceOf(i),
      ),
    );
  }

  for (const breaker of options.breakers ?? []) {
    listen(breaker, 'open', (e) =>
      write(
        'warn',
        'breaker.opened',
        { breaker: e.name, from: e.from, reason: e.reason },
        `circuit ${e.name} opened (${e.reason})`,
      ),
    );
    listen(breaker, 'halfOpen', (e) =>
      write('info', 'breaker.half_opened', { breaker: e.name }, `circuit ${e.name} half-open: probing`),
    );
    listen(breaker, 'close', (e) =>
      write('info', 'breaker.closed', { breaker: e.name, from: e.from }, `circuit ${e.name} closed`),
    );
  }

  if (options.saturation !== undefined) {
    listen(options.saturation, 'overloaded', (e) =>
      write(
        'warn',
        'saturation.overloaded',
        { reason: e.reason, value: e.value, limit: e.limit },
        `overloaded: ${e.reason} ${e.value} over ${e.limit}; load shedding on where enabled`,
      ),
    );
    listen(options.saturation, 'recovered', (e) =>
      write(
        'info',
        'saturation.recovered',
        { overloadedForMs: e.overloadedForMs },
        'recovered from overload; load shedding off',
      ),
    );
  }

  if (options.anomalies !== undefined) {
    listen(options.anomalies, 'anomalous', (e) =>
      write(
        'warn',
        'anomaly.detected',
        {
          signal: e.signal,
          value: e.value,
          expected: e.expected,
          band: e.band,
          score: e.score,
          since: e.since,
        },
        `${e.signal} is anomalous: ${round(e.value)} against ${round(e.expected)} expected (score ${round(e.score)})`,
      ),
    );
    listen(options.anomalies, 'recovered', (e) =>
      write(
        'info',
        'anomaly.recovered',
        { signal: e.signal, anomalousForMs: e.anomalousForMs },
        `${e.signal} is back within its band`,
      ),
    );
  }

  if (options.errors !== undefined) {
    listen(options.errors, 'newGroup', ({ traceId: trace, ...e }) =>
      write(
        'warn',
        'error_group.new',
        e,
        `new error: ${e.type}${e.location === undefined ? '' : ` at ${e.location}`}: ${e.message}`,
        trace,
      ),
    );
  }

  if (options.health !== undefined) {
    listen(options.health, 'statusChanged', (e) =>
      write(
        e.status === 'pass' ? 'info' : e.status === 'fail' ? 'error' : 'warn',
        'health.changed',
        { check: e.name, status: e.status, ...(e.previous === undefined ? {} : { previous: e.previous }) },
        `health check ${e.name} is ${e.status}`,
      ),
    );
  }

  for (const slo of options.slos ?? []) {
    listen(slo, 'alert', (e) =>
      write(
        e.firing ? (e.severity === 'page' ? 'error' : 'warn') : 'info',
        e.firing ? 'slo.alert_fired' : 'slo.alert_resolved',
        {
          slo: e.name,
          severity: e.severity,
          burnRate: e.burnRate,
          longBurnRate: e.longBurnRate,
          shortBurnRate: e.shortBurnRate,
        },
        `SLO ${e.name} ${e.severity} alert ${e.firing ? 'firing' : 'resolved'} (burn rate ${round(e.longBurnRate)})`,
      ),
    );
    listen(slo, 'budgetExhausted', (e) =>
      write(
        'error',
        'slo.budget_exhausted',
        { slo: e.name, consumed: e.consumed },
        `SLO ${e.name} error budget exhausted`,
      ),
    );
  }

  if (options.alerts !== undefined) {
    listen(options.alerts, 'deliveryFailed', (e) =>
      write(
        'error',
        'alert.delivery_failed',
        {
          receiver: e.receiver,
          notifier: e.notifier,
          groupKey: e.groupKey,
          error: e.error instanceof Error ? e.error.message : String(e.error),
        },
        `alert notification to ${e.receiver}/${e.notifier} failed`,
      ),
    );
  }

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const off of unsubscribe.splice(0)) off();
  };
  return { stats: () => ({ ...counts }), close, [Symbol.dispose]: close };
}

function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(4)) : value;
}
