// The hand-written reference tables of the docs, checked against the code so they cannot drift:
//
//   <!-- table: options createLatencyTracker -->   | option | default | ... |
//     Each row's option (a dotted path for nested fields) must exist in the factory's zod schema, and its
//     default must be what the schema fills in: a JavaScript literal in backticks (`60_000`, `'GET'`,
//     `{ durationMs: 60_000, slices: 6 }`), `required`, or `—` for "unset". Every top-level field of the
//     schema must have a row. Prose after the literal is fine: `0` (no cache).
//   <!-- table: fields SreFastifyOptions -->        | option | default | ... |
//     For options no schema validates: the rows must be exactly the interface's own properties, and a
//     default must match the property's `@default` tag when that tag is a literal.
//   <!-- table: error-codes ErrorCode -->           | code | constant | ... |
//     Exactly the codes of `ErrorCode` (or `AgentErrorCode`), each with its constant name.
import { isDeepStrictEqual } from 'node:util';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ErrorCode } from '../../src/core/errors.js';
import { eventLoopDelayOptionsSchema } from '../../src/health/checks/event-loop-delay.js';
import { heapUsageOptionsSchema } from '../../src/health/checks/heap-usage.js';
import { rssOptionsSchema } from '../../src/health/checks/rss.js';
import { diskSpaceOptionsSchema } from '../../src/health/checks/disk-space.js';
import { httpOptionsSchema } from '../../src/health/checks/http.js';
import { tcpOptionsSchema } from '../../src/health/checks/tcp.js';
import { tlsCertificateOptionsSchema } from '../../src/health/checks/tls-certificate.js';
import { freshnessOptionsSchema } from '../../src/health/checks/freshness.js';
import { sloBudgetOptionsSchema } from '../../src/health/checks/slo-budget.js';
import { gracefulShutdownOptionsSchema } from '../../src/health/graceful-shutdown.js';
import { healthCheckOptionsSchema, healthRegistryOptionsSchema } from '../../src/health/options.js';
import { alertRouterOptionsSchema } from '../../src/incidents/alert-router-options.js';
import { fileIncidentStoreOptionsSchema } from '../../src/incidents/file-store.js';
import { pagerDutyNotifierOptionsSchema } from '../../src/incidents/pagerduty-notifier.js';
import { incidentRecorderOptionsSchema } from '../../src/incidents/recorder.js';
import { responderOptionsSchema } from '../../src/incidents/responder.js';
import { slackNotifierOptionsSchema } from '../../src/incidents/slack-notifier.js';
import { webhookNotifierOptionsSchema } from '../../src/incidents/webhook-notifier.js';
import { anomalyDetectorOptionsSchema } from '../../src/anomaly/options.js';
import { errorGroupsOptionsSchema } from '../../src/errors/options.js';
import { eventLoggerOptionsSchema } from '../../src/logging/event-logger.js';
import { latencyTrackerOptionsSchema } from '../../src/latency/options.js';
import { latencyMetricsOptionsSchema } from '../../src/metrics/latency-metrics.js';
import { AgentErrorCode } from '../../src/monitor/protocol/constants.js';
import { monitorOptionsSchema } from '../../src/monitor/options.js';
import { clusterPrimaryOptionsSchema } from '../../src/cluster/primary.js';
import { clusterWorkerOptionsSchema } from '../../src/cluster/worker.js';
import { rateLimitOptionsSchema } from '../../src/adapters/shared/rate-limit.js';
import { observeCacheOptionsSchema } from '../../src/dependencies/cache.js';
import { trackDependencyOptionsSchema } from '../../src/dependencies/dependency-options.js';
import { trackPipelineOptionsSchema } from '../../src/dependencies/pipeline.js';
import { observePoolOptionsSchema } from '../../src/dependencies/pool.js';
import { clientKeyOptionsSchema } from '../../src/ratelimit/client-key.js';
import { rateLimiterOptionsSchema } from '../../src/ratelimit/options.js';
import { bulkheadOptionsSchema } from '../../src/resilience/bulkhead.js';
import { circuitBreakerOptionsSchema } from '../../src/resilience/circuit-breaker-options.js';
import { faultInjectorOptionsSchema } from '../../src/resilience/fault-injector.js';
import { retryBudgetOptionsSchema } from '../../src/resilience/retry-budget.js';
import { retryPolicyOptionsSchema } from '../../src/resilience/retry-policy.js';
import { timeoutOptionsSchema } from '../../src/resilience/timeout.js';
import { saturationOptionsSchema } from '../../src/saturation/options.js';
import { goldenSignalsOptionsSchema } from '../../src/signals/options.js';
import { statusPageOptionsSchema } from '../../src/status/options.js';
import { bridgeOptionsSchema } from '../../src/otel/bridge.js';
import {
  maintenanceCalendarOptionsSchema,
  maintenanceWindowInputSchema,
} from '../../src/maintenance/calendar-options.js';
import {
  maintenanceJobOptionsSchema,
  maintenanceSchedulerOptionsSchema,
} from '../../src/maintenance/scheduler-options.js';
import { chaosDrillOptionsSchema } from '../../src/drills/options.js';
import { sloOptionsSchema } from '../../src/slo/options.js';
import { canaryJudgeOptionsSchema } from '../../src/canary/options.js';
import { performanceBudgetOptionsSchema } from '../../src/canary/performance-budget.js';
import { rolloutGateOptionsSchema } from '../../src/canary/rollout-options.js';
import { changeLogOptionsSchema } from '../../src/changes/options.js';
import { createEntryProgram } from './api-reference.js';
import { codeSpans, docFiles, markedTables, type Table } from './markdown.js';

type Schema = z.ZodType;
const fn = (): undefined => undefined;
const sloLike = { name: 'slo', status: fn, evaluate: fn, snapshot: fn, on: fn };
const monitorLike = {
  service: 'api',
  sloStatus: fn,
  healthReport: fn,
  incidents: { on: fn },
  alerts: { on: fn },
  drills: { register: fn },
  maintenance: undefined,
};

/**
 * Each documented options table: the schema behind it, the least input it accepts (values for its
 * required fields), and, for nested rows, what to put in a parent object so its other fields parse.
 */
const OPTION_SCHEMAS: Record<
  string,
  { schema: Schema; required?: Record<string, unknown>; parents?: Record<string, unknown> }
> = {
  createHealthRegistry: { schema: healthRegistryOptionsSchema },
  'HealthRegistry.register': { schema: healthCheckOptionsSchema },
  'checks.eventLoopDelay': { schema: eventLoopDelayOptionsSchema },
  'checks.heapUsage': { schema: heapUsageOptionsSchema },
  'checks.rss': { schema: rssOptionsSchema, required: { failBytes: 1 } },
  'checks.diskSpace': { schema: diskSpaceOptionsSchema },
  'checks.http': { schema: httpOptionsSchema, required: { url: 'http://127.0.0.1/' } },
  'checks.tcp': { schema: tcpOptionsSchema, required: { host: 'localhost', port: 1 } },
  'checks.tlsCertificate': { schema: tlsCertificateOptionsSchema, required: { host: 'localhost' } },
  'checks.freshness': { schema: freshnessOptionsSchema, required: { lastUpdatedAt: fn, failLagMs: 1 } },
  'checks.sloBudget': { schema: sloBudgetOptionsSchema },
  gracefulShutdown: { schema: gracefulShutdownOptionsSchema },
  createLatencyTracker: { schema: latencyTrackerOptionsSchema, parents: { window: { durationMs: 60_000 } } },
  latencyMetrics: { schema: latencyMetricsOptionsSchema },
  createSloTracker: {
    schema: sloOptionsSchema,
    required: { name: 'slo', objective: { kind: 'availability', target: 0.99 } },
  },
  createCircuitBreaker: { schema: circuitBreakerOptionsSchema, required: { name: 'db' } },
  createRetryPolicy: { schema: retryPolicyOptionsSchema },
  createRetryBudget: { schema: retryBudgetOptionsSchema },
  createTimeout: { schema: timeoutOptionsSchema, required: { timeoutMs: 1 } },
  createBulkhead: { schema: bulkheadOptionsSchema, required: { maxConcurrent: 1 } },
  createFaultInjector: { schema: faultInjectorOptionsSchema },
  createIncidentRecorder: { schema: incidentRecorderOptionsSchema, required: { service: 'api' } },
  createFileIncidentStore: { schema: fileIncidentStoreOptionsSchema, required: { path: 'incidents.jsonl' } },
  createResponder: {
    schema: responderOptionsSchema,
    required: { recorder: { trigger: fn }, runbooks: [], escalate: fn },
  },
  createAlertRouter: {
    schema: alertRouterOptionsSchema,
    required: { routes: [{ notifiers: [{ name: 'log', notify: fn }] }] },
  },
  pagerDutyNotifier: { schema: pagerDutyNotifierOptionsSchema, required: { routingKey: 'k'.repeat(32) } },
  webhookNotifier: { schema: webhookNotifierOptionsSchema, required: { url: 'http://127.0.0.1/' } },
  slackNotifier: { schema: slackNotifierOptionsSchema, required: { webhookUrl: 'http://127.0.0.1/' } },
  createSaturationMonitor: { schema: saturationOptionsSchema },
  createGoldenSignals: { schema: goldenSignalsOptionsSchema },
  createStatusPage: { schema: statusPageOptionsSchema, required: { title: 'Checkout' } },
  // One of monitor and http is required (the page says so): with both given, each row reads as unset.
  bridgeToOpenTelemetry: {
    schema: bridgeOptionsSchema,
    required: { monitor: { status: fn, incidents: { on: fn } }, http: { signals: { observe: fn } } },
  },
  createErrorGroups: { schema: errorGroupsOptionsSchema },
  createAnomalyDetector: {
    schema: anomalyDetectorOptionsSchema,
    parents: { alertAfter: { anomalous: 3, of: 5 } },
  },
  createEventLogger: {
    schema: eventLoggerOptionsSchema,
    required: { logger: { info: fn, warn: fn, error: fn } },
  },
  createMonitor: { schema: monitorOptionsSchema, required: { service: 'api', slos: [sloLike] } },
  createMaintenanceCalendar: { schema: maintenanceCalendarOptionsSchema },
  'MaintenanceCalendar.add': {
    schema: maintenanceWindowInputSchema,
    required: { id: 'w', title: 't', matchers: ['a="b"'], createdBy: 'ops', start: 0, end: 1 },
    parents: { recurring: {} },
  },
  createMaintenanceScheduler: { schema: maintenanceSchedulerOptionsSchema },
  'MaintenanceScheduler.schedule': { schema: maintenanceJobOptionsSchema },
  createDrill: {
    schema: chaosDrillOptionsSchema,
    required: {
      name: 'd',
      monitor: monitorLike,
      steadyState: [{ signal: 'breaker:x', equals: 'closed' }],
      inject: [{ target: { configure: fn }, durationMs: 1 }],
      expect: { recoveredWithinMs: 1 },
    },
    parents: { abortWhen: {} },
  },
  createChangeLog: { schema: changeLogOptionsSchema, required: { service: 'checkout' } },
  createCanaryJudge: { schema: canaryJudgeOptionsSchema },
  createRolloutGate: {
    schema: rolloutGateOptionsSchema,
    required: { judge: { evaluate: fn }, steps: [5, 100], intervalMs: 60_000, observe: fn, setWeight: fn },
  },
  createPerformanceBudget: {
    schema: performanceBudgetOptionsSchema,
    required: { routes: { 'GET /': { p99Ms: 200 } } },
  },
  createClusterWorker: {
    schema: clusterWorkerOptionsSchema,
    required: { latency: { keys: fn, encode: fn, reset: fn } },
  },
  createClusterPrimary: { schema: clusterPrimaryOptionsSchema },
  createRateLimiter: { schema: rateLimiterOptionsSchema, required: { rate: 1 } },
  rateLimit: { schema: rateLimitOptionsSchema, required: { limiter: { consume: fn } } },
  createClientKey: { schema: clientKeyOptionsSchema },
  trackDependency: { schema: trackDependencyOptionsSchema, required: { name: 'payments' } },
  observePool: { schema: observePoolOptionsSchema, required: { total: fn, idle: fn, waiting: fn } },
  observeCache: { schema: observeCacheOptionsSchema, required: { hits: fn, misses: fn } },
  trackPipeline: { schema: trackPipelineOptionsSchema, required: { name: 'sync', maxLagMs: 1 } },
};

/** The schema a field path leads to, unwrapping optional, default, pipe and union wrappers. */
function fieldSchema(schema: Schema, path: readonly string[]): Schema | undefined {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return fieldSchema(def.innerType as Schema, path);
    case 'pipe':
      return fieldSchema(def.in as Schema, path);
    case 'union':
      for (const option of def.options as Schema[]) {
        const found = fieldSchema(option, path);
        if (found !== undefined) return found;
      }
      return undefined;
    case 'object': {
      if (path.length === 0) return schema;
      const child = (def.shape as Record<string, Schema>)[path[0] as string];
      return child === undefined ? undefined : fieldSchema(child, path.slice(1));
    }
    default:
      return path.length === 0 ? schema : undefined;
  }
}

function topLevelFields(schema: Schema): string[] {
  const object = fieldSchema(schema, []);
  const shape = (object as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape;
  return Object.keys(shape ?? {});
}

const getPath = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined,
    value,
  );

/** What the schema makes of the field when it is left out: 'required', undefined, or the default. */
function defaultOf(entry: (typeof OPTION_SCHEMAS)[string], path: readonly string[]): unknown {
  const input: Record<string, unknown> = { ...entry.required };
  delete input[path.join('.')];
  if (path.length === 1) delete input[path[0] as string];
  // Nested rows: give each missing parent object (so the field is parsed at all), minus the field.
  let parent: Record<string, unknown> = input;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const given = parent[key] ?? entry.parents?.[path.slice(0, i + 1).join('.')] ?? {};
    const copy = { ...(given as Record<string, unknown>) };
    parent[key] = copy;
    parent = copy;
  }
  delete parent[path[path.length - 1] as string];
  const result = entry.schema.safeParse(input);
  if (!result.success) {
    const onField = issuePaths(result.error.issues, []).includes(path.join('.'));
    if (onField) return 'required';
    throw new Error(`cannot tell the default of ${path.join('.')}: ${result.error.message}`);
  }
  return getPath(result.data, path);
}

/** Every path an issue points at, looking inside the branches of a failed union. */
function issuePaths(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    const nested =
      issue.code === 'invalid_union' ? issue.errors.flatMap((branch) => issuePaths(branch, path)) : [];
    return [path.join('.'), ...nested];
  });
}

/** Evaluates a JavaScript literal written in the docs or a `@default` tag, as a value of this realm. */
function evaluateLiteral(code: string): unknown {
  // The timeout only stops a literal that never ends: a fresh context alone took over 100 ms on a
  // loaded 2-core machine and failed a full run.
  return structuredClone(runInNewContext(`(${code})`, {}, { timeout: 5_000 }) as unknown);
}

/** Reads a default cell: `—`, `required`, or the first code span evaluated as a JavaScript literal. */
function readDefault(cell: string): { value: unknown } | 'required' | 'unset' {
  if (cell.startsWith('—')) return 'unset';
  if (cell.startsWith('required')) return 'required';
  const [literal] = codeSpans(cell);
  if (literal === undefined)
    throw new Error(`default cell ${JSON.stringify(cell)}: expected \`literal\`, required or —`);
  return { value: evaluateLiteral(literal) };
}

const tables = (kind: string): Table[] => docFiles().flatMap((doc) => markedTables(doc, kind));

describe('options tables match the zod schemas', () => {
  const optionTables = tables('options');

  it('every options table names a known schema and there is at least one', () => {
    expect(optionTables.length).toBeGreaterThan(0);
    expect(optionTables.map((t) => t.subject).filter((s) => OPTION_SCHEMAS[s] === undefined)).toEqual([]);
  });

  it.each(optionTables.map((table) => [`${table.file}:${table.line} ${table.subject}`, table] as const))(
    '%s',
    (_name, table) => {
      const entry = OPTION_SCHEMAS[table.subject];
      if (entry === undefined) return; // reported above
      expect(table.header.slice(0, 2)).toEqual(['option', 'default']);
      const problems: string[] = [];
      const fields: string[] = [];
      for (const row of table.rows) {
        const [field] = codeSpans(row.cells[0] ?? '');
        if (field === undefined) {
          problems.push(`line ${row.line}: no \`field\` in the first cell`);
          continue;
        }
        fields.push(field);
        const path = field.split('.');
        if (fieldSchema(entry.schema, path) === undefined) {
          problems.push(`line ${row.line}: ${field} is not an option of ${table.subject}`);
          continue;
        }
        const documented = readDefault(row.cells[1] ?? '');
        const actual = defaultOf(entry, path);
        const ok =
          documented === 'required'
            ? actual === 'required'
            : documented === 'unset'
              ? actual === undefined
              : isDeepStrictEqual(documented.value, actual);
        if (!ok)
          problems.push(
            `line ${row.line}: ${field} is documented as ${row.cells[1]}, the schema gives ${
              actual === 'required' ? 'required' : actual === undefined ? '— (unset)' : JSON.stringify(actual)
            }`,
          );
      }
      for (const field of topLevelFields(entry.schema))
        if (!fields.some((f) => f === field || f.startsWith(`${field}.`)))
          problems.push(`${field} is an option of ${table.subject} but has no row`);
      expect(problems).toEqual([]);
    },
  );
});

describe('fields tables match their interfaces', () => {
  const fieldTables = tables('fields');
  const program = createEntryProgram();
  const checker = program.getTypeChecker();

  /** The interface's own properties (not inherited), each with its `@default` tag text. */
  function ownProperties(name: string): Map<string, string | undefined> {
    for (const file of program.getSourceFiles()) {
      if (file.isDeclarationFile) continue;
      for (const statement of file.statements) {
        if (!ts.isInterfaceDeclaration(statement) || statement.name.text !== name) continue;
        const props = new Map<string, string | undefined>();
        for (const member of statement.members) {
          if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
          const symbol = checker.getSymbolAtLocation(member.name);
          const tag = symbol?.getJsDocTags(checker).find((t) => t.name === 'default');
          props.set(member.name.text, tag === undefined ? undefined : ts.displayPartsToString(tag.text));
        }
        return props;
      }
    }
    throw new Error(`no interface ${name} in the sources`);
  }

  it.each(fieldTables.map((table) => [`${table.file}:${table.line} ${table.subject}`, table] as const))(
    '%s',
    (_name, table) => {
      expect(table.header.slice(0, 2)).toEqual(['option', 'default']);
      const props = ownProperties(table.subject);
      const rows = table.rows.map((row) => ({ field: codeSpans(row.cells[0] ?? '')[0], row }));
      expect(rows.map((r) => r.field).sort()).toEqual([...props.keys()].sort());
      const problems: string[] = [];
      for (const { field, row } of rows) {
        const tag = props.get(field ?? '');
        if (tag === undefined) continue;
        let tagged: unknown;
        try {
          tagged = evaluateLiteral(tag);
        } catch {
          continue; // a prose default ("the registry's exposeDetails"): nothing to compare
        }
        const documented = readDefault(row.cells[1] ?? '');
        if (typeof documented !== 'object' || !isDeepStrictEqual(documented.value, tagged))
          problems.push(
            `line ${row.line}: ${field} is documented as ${row.cells[1]}, its @default is ${tag}`,
          );
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('error code tables match the code', () => {
  const codeTables = tables('error-codes');
  const sources: Record<string, Record<string, string>> = { ErrorCode, AgentErrorCode };

  it('ErrorCode and AgentErrorCode each have a table', () => {
    expect(codeTables.map((t) => t.subject).sort()).toEqual(Object.keys(sources).sort());
  });

  it.each(codeTables.map((table) => [`${table.file}:${table.line} ${table.subject}`, table] as const))(
    '%s',
    (_name, table) => {
      const codes = sources[table.subject];
      if (codes === undefined) throw new Error(`unknown error code table ${table.subject}`);
      expect(table.header.slice(0, 2)).toEqual(['code', 'constant']);
      const documented = table.rows.map((row) => [
        codeSpans(row.cells[0] ?? '')[0],
        codeSpans(row.cells[1] ?? '')[0],
      ]);
      const actual = Object.entries(codes).map(([constant, code]) => [code, `${table.subject}.${constant}`]);
      expect(documented.sort()).toEqual(actual.sort());
    },
  );
});
