import { z } from 'zod';
import { checkUnique } from '../core/index.js';
import type {
  ObservedCache,
  ObservedPool,
  TrackedDependency,
  TrackedPipeline,
} from '../dependencies/index.js';
import type { RouteSignals } from '../signals/index.js';
import { CAPACITY_SIGNALS } from './forecast.js';
import { DEFAULT_FORECAST_GATES } from './forecast-gates.js';
import { DEFAULT_IGNORED_ROUTES } from './own-routes.js';

// The schema MonitorOptions (types.ts) is checked against once, in createMonitor; a type test binds
// the two. Live objects (trackers, registries, breakers, recorders) go through z.custom, which keeps
// their identity: parseOptions does not freeze objects that have methods.

const hasMethods =
  <T>(message: string, ...methods: string[]) =>
  () =>
    z.custom<T>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
      { message },
    );

const severity = z.enum(['P1', 'P2', 'P3', 'P4', 'P5']);
const sourceSeverity = z.union([severity, z.literal(false)]);
const MAX_TIMER_MS = 2_147_483_647;

/** @internal The schema {@link MonitorOptions} is checked against (bound by a type test). */
export const monitorOptionsSchema = z
  .strictObject({
    service: z.string().min(1).max(128),
    health: hasMethods('a health registry (check, on)', 'check', 'on')().optional(),
    latency: hasMethods(
      'a latency tracker (summary, cumulativeBuckets, keys)',
      'summary',
      'cumulativeBuckets',
      'keys',
    )().optional(),
    slos: z
      .array(
        hasMethods(
          'an SLO tracker (status, evaluate, snapshot, on)',
          'status',
          'evaluate',
          'snapshot',
          'on',
        )(),
      )
      .max(64)
      .default([]),
    breakers: z
      .array(hasMethods('a circuit breaker (stats, on)', 'stats', 'on')())
      .max(256)
      .default([]),
    saturation: hasMethods(
      'a saturation monitor (snapshot, overloaded, on)',
      'snapshot',
      'overloaded',
      'on',
    )().optional(),
    dependencies: z
      .array(
        hasMethods<TrackedDependency>(
          'a tracked dependency from trackDependency (call, status, serviceHealth)',
          'call',
          'status',
          'serviceHealth',
        )(),
      )
      .max(256)
      .default([]),
    pools: z
      .array(
        hasMethods<ObservedPool>(
          'a pool from observePool (status, serviceHealth)',
          'status',
          'serviceHealth',
        )(),
      )
      .max(256)
      .default([]),
    caches: z
      .array(
        hasMethods<ObservedCache>(
          'a cache from observeCache (status, serviceHealth)',
          'status',
          'serviceHealth',
        )(),
      )
      .max(256)
      .default([]),
    pipelines: z
      .array(
        hasMethods<TrackedPipeline>(
          'a pipeline from trackPipeline (start, status, serviceHealth)',
          'start',
          'status',
          'serviceHealth',
        )(),
      )
      .max(256)
      .default([]),
    incidents: hasMethods(
      'an incident recorder (trigger, list, report)',
      'trigger',
      'list',
      'report',
    )().optional(),
    responder: hasMethods('a responder (handle)', 'handle')().optional(),
    alerts: hasMethods('an alert router (send)', 'send')().optional(),
    maintenance: hasMethods(
      'a maintenance calendar (active, silencing, occurrences)',
      'active',
      'silencing',
      'occurrences',
    )().optional(),
    maintenanceReminderMs: z.number().int().min(0).max(MAX_TIMER_MS).default(900_000),
    autoIncidents: z
      .strictObject({
        sloPage: sourceSeverity.default('P2'),
        sloTicket: sourceSeverity.default('P3'),
        breakerOpen: sourceSeverity.default('P3'),
        criticalCheckFail: sourceSeverity.default('P1'),
        anomaly: sourceSeverity.default(false),
      })
      .default({
        sloPage: 'P2',
        sloTicket: 'P3',
        breakerOpen: 'P3',
        criticalCheckFail: 'P1',
        anomaly: false,
      }),
    history: z
      .strictObject({
        retainDays: z.number().gt(0).max(400).default(35),
        file: z.string().min(1).optional(),
        snapshotIntervalMs: z.number().int().min(1_000).max(MAX_TIMER_MS).default(60_000),
      })
      .default({ retainDays: 35, snapshotIntervalMs: 60_000 }),
    evaluateIntervalMs: z.number().int().min(100).max(MAX_TIMER_MS).default(10_000),
    resolveAfterMs: z.number().int().min(0).max(MAX_TIMER_MS).optional(),
    forecast: z
      .strictObject({
        minSpanMs: z
          .number()
          .int()
          .min(0)
          .max(30 * 24 * 3_600_000)
          .default(DEFAULT_FORECAST_GATES.minSpanMs),
        minSamples: z.number().int().min(2).max(1_024).default(DEFAULT_FORECAST_GATES.minSamples),
        minR2: z.number().min(0).max(1).default(DEFAULT_FORECAST_GATES.minR2),
      })
      .default({ ...DEFAULT_FORECAST_GATES }),
    ignoreRoutes: z
      .array(z.string().startsWith('/'))
      .max(100)
      .default([...DEFAULT_IGNORED_ROUTES]),
    signals: hasMethods<{ routes(): readonly RouteSignals[] }>(
      'golden signals (routes)',
      'routes',
    )().optional(),
    errors: hasMethods('error groups (top, on, stats)', 'top', 'on', 'stats')().optional(),
    newErrorWindowMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3_600_000)
      .default(1_800_000),
    anomalies: z
      .union([
        z.literal(true),
        hasMethods(
          'an anomaly detector (observe, evaluate, status, on)',
          'observe',
          'evaluate',
          'status',
          'on',
        )(),
      ])
      .optional(),
    latencyBudgetMs: z.number().gt(0).optional(),
    capacityLimits: z
      .strictObject(
        Object.fromEntries(CAPACITY_SIGNALS.map((s) => [s, z.number().gt(0).optional()])) as {
          [K in (typeof CAPACITY_SIGNALS)[number]]: z.ZodOptional<z.ZodNumber>;
        },
      )
      .optional(),
    scheduledMaintenance: hasMethods('a maintenance source (windows)', 'windows')().optional(),
    changes: hasMethods('a change log (record, correlate, dora)', 'record', 'correlate', 'dora')().optional(),
    canary: hasMethods('a canary judge (evaluate)', 'evaluate')().optional(),
    rollouts: z
      .array(hasMethods('a rollout gate (status, start)', 'status', 'start')())
      .max(64)
      .default([]),
    performanceBudget: hasMethods('a performance budget (evaluate)', 'evaluate')().optional(),
  })
  .superRefine((value, ctx) => {
    // A responder records into its own recorder; the monitor's reports must read that same one.
    if (value.responder !== undefined && value.incidents === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['incidents'],
        message: 'the incident recorder the responder records into (required with responder)',
      });
    // Two of one name would render series Prometheus drops and report keys a reader cannot tell apart.
    checkUnique(ctx, value.slos, ['slos'], { noun: 'SLO', thing: 'SLO tracker' });
    checkUnique(ctx, value.breakers, ['breakers'], { noun: 'breaker' });
    checkUnique(ctx, value.rollouts, ['rollouts'], { noun: 'rollout' });
    // Observed services are keys of the health report's `services`: one name, one service.
    const services = new Set<unknown>();
    for (const kind of ['dependencies', 'pools', 'caches', 'pipelines'] as const)
      value[kind].forEach((service: { readonly name: string }, i) => {
        if (services.has(service.name))
          ctx.addIssue({
            code: 'custom',
            path: [kind, i],
            message: `unique names across dependencies, pools, caches and pipelines (${service.name} repeats)`,
          });
        services.add(service.name);
      });
    checkOwnedNames(ctx, value);
  });

// The SLOs and breakers the observed services bring join the monitor's own: a name one of them shares
// with another object would make two series and two incidents of one name. The same object listed
// twice (a dependency's breaker also in `breakers`) is watched once.
function checkOwnedNames(
  ctx: { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void },
  value: {
    readonly slos: readonly unknown[];
    readonly breakers: readonly unknown[];
    readonly dependencies: readonly TrackedDependency[];
    readonly pipelines: readonly TrackedPipeline[];
  },
): void {
  const nameOf = (item: unknown): unknown => (item as { name?: unknown }).name;
  const slos = new Map<unknown, unknown>(value.slos.map((slo) => [nameOf(slo), slo]));
  const breakers = new Map<unknown, unknown>(value.breakers.map((breaker) => [nameOf(breaker), breaker]));
  const claim = (held: Map<unknown, unknown>, item: unknown, path: PropertyKey[], noun: string): void => {
    const name = nameOf(item);
    const holder = held.get(name);
    if (holder !== undefined && holder !== item)
      ctx.addIssue({ code: 'custom', path, message: `unique ${noun} names (${String(name)} repeats)` });
    held.set(name, item);
  };
  value.dependencies.forEach((dependency, i) => {
    for (const slo of dependency.slos ?? []) claim(slos, slo, ['dependencies', i], 'SLO');
    if (dependency.breaker !== undefined) claim(breakers, dependency.breaker, ['dependencies', i], 'breaker');
  });
  value.pipelines.forEach((pipeline, i) => {
    if (pipeline.slo !== undefined) claim(slos, pipeline.slo, ['pipelines', i], 'SLO');
  });
}
