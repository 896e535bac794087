// The options of createDrill (a chaos drill, or a backup drill with `kind: 'backup'`) and their schemas.
import { z } from 'zod';
import type { AlertRouter, IncidentRecorder, Severity } from '../incidents/index.js';
import type { MaintenanceCalendar } from '../maintenance/index.js';
import type { FaultInjector, FaultSettings } from '../resilience/index.js';
import type { SloStatus } from '../slo/index.js';
import type { DrillRegistry } from './registry.js';

/**
 * What a drill reads and writes: the monitor (`createMonitor`) satisfies it. Its alert router's
 * `received` events say which alerts fired, its recorder which incidents opened, its SLO statuses and
 * health report what the steady state is, its calendar keeps a drill's events out of SLO budgets, and
 * its drill registry names the drill and keeps its journals.
 */
export interface DrillMonitor {
  readonly service: string;
  readonly incidents: IncidentRecorder;
  readonly alerts: Pick<AlertRouter, 'on'>;
  readonly maintenance: MaintenanceCalendar | undefined;
  readonly drills: DrillRegistry;
  sloStatus(): readonly SloStatus[];
  healthReport(): Promise<{
    readonly breakers: Readonly<Record<string, string>>;
    readonly services: Readonly<Record<string, { readonly status: string }>>;
  }>;
}

/** A value a steady-state probe reads. */
export type ProbeValue = number | string | boolean;

/**
 * One measure of "normal". A `signal` the monitor reads: `slo:<name>` (the SLO's SLI over its window,
 * 0 to 1), `budget:<name>` (its error budget left), `burn:<name>` (its 1-hour burn rate),
 * `breaker:<name>` (`closed`, `open`, `halfOpen`, `isolated`), `check:<name>` (`up`, `degraded`,
 * `down`); or a `probe` of your own with a `name`. It holds within `min`/`max` (numbers) or `equals`.
 */
export interface SteadyStateProbe {
  /** The monitor's signal to read. Give this or `probe`. */
  readonly signal?: string;
  /** Names a custom `probe` in the journal. */
  readonly name?: string;
  /** Reads a value of your own (a synthetic request, a queue depth); may be async. */
  readonly probe?: (context: { readonly signal: AbortSignal }) => ProbeValue | Promise<ProbeValue>;
  /** The least value that holds. */
  readonly min?: number;
  /** The greatest value that holds. */
  readonly max?: number;
  /** The one value that holds. */
  readonly equals?: ProbeValue;
}

/** One fault a chaos drill injects: the fault injector and what it makes it do, for how long. */
export interface DrillInjection {
  /** The fault injector the dependency's calls go through (`createFaultInjector`). */
  readonly target: FaultInjector;
  /** Names it in the journal. @default `injection-<index>` */
  readonly name?: string;
  /** Share of calls failed while it lasts. @default the injector's own */
  readonly errorRate?: FaultSettings['errorRate'];
  /** Latency added while it lasts. @default the injector's own */
  readonly latencyMs?: FaultSettings['latencyMs'];
  /** Share of calls delayed while it lasts. @default the injector's own */
  readonly latencyRate?: FaultSettings['latencyRate'];
  /** How long it lasts, ms. */
  readonly durationMs: number;
  /** When it starts after the drill's steady state was checked, ms. @default 0 */
  readonly afterMs?: number;
}

/** What a chaos drill expects to happen. */
export interface DrillExpectation {
  /**
   * Alerts that must fire, by key (the monitor's `breaker:payments`, `slo:availability:page`) or name
   * (`CircuitBreakerOpen`).
   * @default []
   */
  readonly alerts?: readonly string[];
  /** Incidents that must open, by dedup key (`breaker:payments`). @default [] */
  readonly incidents?: readonly string[];
  /** The steady state must hold again within this long of the first injection, ms. */
  readonly recoveredWithinMs: number;
}

/** When a chaos drill stops early, restores its injections and runs its rollback. */
export interface DrillAbortConditions {
  /**
   * Abort once any SLO has spent more than this share (0 to 1) of its error budget since the drill began.
   * @default none
   */
  readonly budgetConsumedAbove?: number;
  /** Abort once an incident this severe or worse (`P1` is the worst) opens during the drill. @default none */
  readonly incidentSeverity?: Severity;
}

/** What a drill's rollback receives. */
export interface DrillRollbackContext {
  readonly signal: AbortSignal;
  /** Why the drill ended. */
  readonly reason: 'completed' | 'aborted';
}

/** Options for a chaos drill ({@link createDrill}): a steady-state hypothesis, faults, expectations. */
export interface ChaosDrillOptions {
  /** @default 'chaos' */
  readonly kind?: 'chaos';
  /** Unique among the monitor's drills: the agent's `run_drill` names it. */
  readonly name: string;
  readonly monitor: DrillMonitor;
  /** What it exercises, for the journal. @default '' */
  readonly description?: string;
  /** What "normal" is: checked before (not met: nothing is injected), during and after. */
  readonly steadyState: readonly SteadyStateProbe[];
  readonly inject: readonly DrillInjection[];
  readonly expect: DrillExpectation;
  /** When to stop early. @default never */
  readonly abortWhen?: DrillAbortConditions;
  /** Undoes what the drill changed beyond its injections (fail back to the primary); may be async. */
  readonly rollback?: (context: DrillRollbackContext) => unknown;
  /**
   * Open a maintenance window on the monitor's calendar for the drill (`silence: false`: its alerts and
   * incidents still happen) whose events the SLA report leaves out of SLO budgets.
   * @default false
   */
  readonly excludeFromSlo?: boolean;
  /** How often the steady state and `abortWhen` are checked while it runs, ms. @default 5_000 */
  readonly intervalMs?: number;
}

/** One data-integrity check of a restored backup: what it should be, and what it is. */
export interface IntegrityCheck {
  /** `orders row count`, `users checksum`. */
  readonly name: string;
  readonly expected: ProbeValue;
  readonly actual: ProbeValue | null;
}

/** Options for a backup validation drill ({@link createDrill} with `kind: 'backup'`). */
export interface BackupDrillOptions {
  readonly kind: 'backup';
  /** Unique among the monitor's drills. */
  readonly name: string;
  readonly monitor: DrillMonitor;
  /** @default '' */
  readonly description?: string;
  /** Restores the latest backup somewhere it can be read (a scratch database); returns what `verify` reads. */
  readonly restore: (context: { readonly signal: AbortSignal }) => unknown;
  /** Reads the restored copy: row counts, checksums, against what the source says they should be. */
  readonly verify: (context: {
    readonly signal: AbortSignal;
    readonly restored: unknown;
  }) => readonly IntegrityCheck[] | Promise<readonly IntegrityCheck[]>;
  /** Cleans up (drops the scratch copy); runs however the drill ended. */
  readonly rollback?: (context: DrillRollbackContext) => unknown;
  /** How long restore and verify may take together, ms; past it the drill deviates. @default 1_800_000 */
  readonly timeoutMs?: number;
}

/** Options for {@link createDrill}. */
export type DrillOptions = ChaosDrillOptions | BackupDrillOptions;

const MAX_TIMER_MS = 2_147_483_647;
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'a function' });
const name = z.string().min(1).max(128);
const scalar = z.union([z.number(), z.string(), z.boolean()]);
const rate = z.number().min(0).max(1);
const latency = z.union([
  z.number().min(0).max(MAX_TIMER_MS),
  z.strictObject({ min: z.number().min(0), max: z.number().min(0) }),
]);

const monitorSchema = z.custom<DrillMonitor>(
  (value) => {
    const m = value as Partial<DrillMonitor> | null;
    return (
      typeof m === 'object' &&
      m !== null &&
      typeof m.sloStatus === 'function' &&
      typeof m.healthReport === 'function' &&
      typeof m.incidents?.on === 'function' &&
      typeof m.alerts?.on === 'function' &&
      typeof m.drills?.register === 'function'
    );
  },
  { message: 'a monitor (createMonitor)' },
);

const probeSchema = z
  .strictObject({
    signal: z
      .string()
      .regex(/^(slo|budget|burn|breaker|check):.+$/, {
        message: "a signal 'slo:<name>', 'budget:<name>', 'burn:<name>', 'breaker:<name>' or 'check:<name>'",
      })
      .optional(),
    name: name.optional(),
    probe: fn.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    equals: scalar.optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.signal === undefined) === (p.probe === undefined))
      ctx.addIssue({ code: 'custom', path: ['signal'], message: 'either a signal or a probe (one of them)' });
    if (p.probe !== undefined && p.name === undefined)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'a name for the probe' });
    if (p.min === undefined && p.max === undefined && p.equals === undefined)
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'a tolerance: min, max or equals' });
    if (p.equals !== undefined && (p.min !== undefined || p.max !== undefined))
      ctx.addIssue({ code: 'custom', path: ['equals'], message: 'equals alone, or min and max' });
  });

const injectionSchema = z.strictObject({
  target: z.custom<FaultInjector>(
    (v) => typeof (v as Partial<FaultInjector> | null)?.configure === 'function',
    { message: 'a fault injector (createFaultInjector)' },
  ),
  name: name.optional(),
  errorRate: rate.optional(),
  latencyMs: latency.optional(),
  latencyRate: rate.optional(),
  durationMs: z.number().int().min(1).max(MAX_TIMER_MS),
  afterMs: z.number().int().min(0).max(MAX_TIMER_MS).default(0),
});

const common = {
  name,
  monitor: monitorSchema,
  description: z.string().max(1_024).default(''),
  rollback: fn.optional(),
};

/** @internal The schema {@link ChaosDrillOptions} is checked against (bound by a type test). */
export const chaosDrillOptionsSchema = z
  .strictObject({
    ...common,
    kind: z.literal('chaos').default('chaos'),
    steadyState: z.array(probeSchema).min(1).max(32),
    inject: z.array(injectionSchema).min(1).max(32),
    expect: z.strictObject({
      alerts: z.array(name).max(32).readonly().default([]),
      incidents: z.array(name).max(32).readonly().default([]),
      recoveredWithinMs: z.number().int().min(1).max(MAX_TIMER_MS),
    }),
    abortWhen: z
      .strictObject({
        budgetConsumedAbove: z.number().gt(0).max(1).optional(),
        incidentSeverity: z.enum(['P1', 'P2', 'P3', 'P4', 'P5']).optional(),
      })
      .default({}),
    excludeFromSlo: z.boolean().default(false),
    intervalMs: z.number().int().min(10).max(MAX_TIMER_MS).default(5_000),
  })
  .superRefine((value, ctx) => {
    if (value.excludeFromSlo && value.monitor.maintenance === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['excludeFromSlo'],
        message:
          'false, or a monitor with a maintenance calendar (its `maintenance` option) to open the window in',
      });
  });

/** @internal The schema {@link BackupDrillOptions} is checked against (bound by a type test). */
export const backupDrillOptionsSchema = z.strictObject({
  ...common,
  kind: z.literal('backup'),
  restore: fn,
  verify: fn,
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS).default(1_800_000),
});

/** @internal Parsed chaos drill options. */
export type ParsedChaosOptions = z.output<typeof chaosDrillOptionsSchema>;
/** @internal Parsed backup drill options. */
export type ParsedBackupOptions = z.output<typeof backupDrillOptionsSchema>;
