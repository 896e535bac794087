import { z } from 'zod';
import { checkUnique } from '../core/index.js';
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
    incidents: hasMethods(
      'an incident recorder (trigger, list, report)',
      'trigger',
      'list',
      'report',
    )().optional(),
    responder: hasMethods('a responder (handle)', 'handle')().optional(),
    alerts: hasMethods('an alert router (send)', 'send')().optional(),
    autoIncidents: z
      .strictObject({
        sloPage: sourceSeverity.default('P2'),
        sloTicket: sourceSeverity.default('P3'),
        breakerOpen: sourceSeverity.default('P3'),
        criticalCheckFail: sourceSeverity.default('P1'),
      })
      .default({ sloPage: 'P2', sloTicket: 'P3', breakerOpen: 'P3', criticalCheckFail: 'P1' }),
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
    latencyBudgetMs: z.number().gt(0).optional(),
    capacityLimits: z
      .strictObject(
        Object.fromEntries(CAPACITY_SIGNALS.map((s) => [s, z.number().gt(0).optional()])) as {
          [K in (typeof CAPACITY_SIGNALS)[number]]: z.ZodOptional<z.ZodNumber>;
        },
      )
      .optional(),
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
  });
