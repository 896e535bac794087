// The protocol's fuzz inputs, shared by the protocol's property tests and the MCP tool schemas' (which
// must accept and reject what the protocol does).
import fc from 'fast-check';
import { AGENT_ACTIONS } from 'sre-kit';

// Values a field might plausibly be given: right and wrong types, edge numbers, long strings.
export const fieldValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ minLength: 120, maxLength: 140 }),
  fc.integer({ min: -5, max: 150 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('full_system', 'api', 'queue', 'last_hour', 'last_7_days', 'INC-2026-001', 'INC-2026-999'),
  fc.array(fc.constantFrom('api', 'cache', 'database', 'queue', 'x'), { maxLength: 25 }),
  fc.jsonValue({ maxDepth: 2 }),
);

// Mostly a valid value, sometimes anything.
export const near = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: fieldValue, weight: 1 });

export const fieldsOf = {
  health_check: {
    scope: near(
      fc.oneof(
        fc.constant('full_system'),
        fc.constantFrom('api', 'cache', 'database'),
        fc.uniqueArray(fc.constantFrom('api', 'cache', 'database'), { minLength: 1, maxLength: 3 }),
      ),
    ),
    include_predictions: near(fc.boolean()),
  },
  analyze_performance: {
    timeframe: near(fc.constantFrom('last_hour', 'last_24_hours', 'last_7_days')),
    focus_areas: near(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 5 })),
  },
  slo_status: { slo: near(fc.constantFrom('api-availability', 'api-latency')) },
  incident_report: {
    id: near(fc.constantFrom('INC-2026-001', 'INC-2026-002', 'INC-2026-003')),
    recent: near(fc.integer({ min: 1, max: 100 })),
  },
  capacity_plan: {
    horizon_days: near(fc.double({ min: 0.01, max: 365, noNaN: true })),
    horizon_ms: near(fc.integer({ min: 1, max: 1e9 })),
  },
  deployment_readiness: {},
  maintenance_windows: {
    operation: near(fc.constantFrom('list', 'add')),
    at: near(fc.constantFrom('2026-03-01T01:30:00Z', '2026-03-02T01:30:00+01:00')),
    window: near(
      fc.record({
        id: fc.constantFrom('db-weekly', 'deploy', 'x'),
        title: fc.constant('Planned work'),
        matchers: fc.constantFrom(['service="checkout"'], ['bad=="'], []),
        start: fc.constantFrom('2026-03-02T02:00:00Z', '2026-03-02T02:00:00'),
        end: fc.constant('2026-03-02T03:00:00Z'),
        created_by: fc.constant('agent'),
      }),
    ),
  },
  run_drill: { name: near(fc.constantFrom('payments-failover', 'nope')) },
  drill_report: {
    name: near(fc.constantFrom('payments-failover', 'nope')),
    recent: near(fc.integer({ min: 1, max: 100 })),
  },
  record_change: {
    change: near(
      fc.record(
        {
          id: fc.constantFrom('deploy-1', 'deploy-2', 'flag-7'),
          kind: fc.constantFrom('deploy', 'config', 'flag', 'infra', 'rollback'),
          version: fc.constantFrom('v1.0.1', 'v1.0.2'),
          started_at: fc.constantFrom('2026-03-01T23:00:00Z', 1_772_409_600_000),
          finished_at: fc.constantFrom('2026-03-01T23:05:00Z', 1_772_409_900_000),
          status: fc.constantFrom('in_progress', 'succeeded', 'failed'),
        },
        { requiredKeys: ['id', 'kind', 'started_at'] },
      ),
    ),
  },
  change_correlation: { incident_id: near(fc.constantFrom('INC-2026-001', 'INC-2026-002', 'INC-2026-404')) },
  dora_report: {
    period: near(fc.constantFrom('day', 'week', 'month')),
    at: near(fc.constantFrom('2026-03-02T00:00:00Z', 1_772_409_600_000)),
  },
  judge_canary: {
    baseline: near(
      fc.record({ requests: fc.integer({ min: 0, max: 5_000 }), errors: fc.integer({ min: 0, max: 50 }) }),
    ),
    canary: near(
      fc.record({ requests: fc.integer({ min: 0, max: 5_000 }), errors: fc.integer({ min: 0, max: 50 }) }),
    ),
  },
  acknowledge_incident: { id: near(fc.constantFrom('INC-2026-001', 'INC-2026-002', 'INC-2026-404')) },
  resolve_incident: {
    id: near(fc.constantFrom('INC-2026-001', 'INC-2026-002', 'INC-2026-404')),
    resolution: near(fc.string({ minLength: 1, maxLength: 40 })),
    root_cause: near(fc.string({ minLength: 1, maxLength: 40 })),
  },
  add_incident_note: {
    id: near(fc.constantFrom('INC-2026-001', 'INC-2026-002', 'INC-2026-404')),
    text: near(fc.string({ minLength: 1, maxLength: 40 })),
  },
  anomalies: { signal: near(fc.constantFrom('traffic', 'error_rate', 'latency_p99')) },
  report_anomaly: {
    source: near(fc.constantFrom('data-intelligence', 'capacity-bot')),
    signal: near(fc.constantFrom('traffic', 'error_rate')),
    at: near(fc.oneof(fc.constant('2026-03-01T12:00:00Z'), fc.integer({ min: 0, max: 4e12 }))),
    severity: near(fc.constantFrom('info', 'warning', 'critical')),
    confidence: near(fc.double({ min: 0, max: 1, noNaN: true })),
    summary: near(fc.string({ minLength: 1, maxLength: 40 })),
  },
} satisfies Record<(typeof AGENT_ACTIONS)[number], Record<string, fc.Arbitrary<unknown>>>;

// Rarely present: an unknown field, or an own `__proto__` key.
export const rarely = fc.oneof(
  { arbitrary: fc.constant(null), weight: 9 },
  { arbitrary: fieldValue, weight: 1 },
);

// One action's fields with near-valid values, any of them absent.
export const nearValidRequest = fc.oneof(
  ...AGENT_ACTIONS.map((action) =>
    fc.record(
      {
        agent: near(fc.constant('sre-reliability')),
        action: near(fc.constant(action)),
        request_id: near(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer())),
        ...fieldsOf[action],
      },
      { requiredKeys: ['agent', 'action'] },
    ),
  ),
  { arbitrary: fc.record({ agent: fieldValue, action: fieldValue }), weight: 1 },
);
