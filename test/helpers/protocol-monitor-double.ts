// A hand-built MonitorQueries for the agent protocol's tests: canned, schema-valid reports, with a real
// incident recorder (in-memory store), real SLO trackers behind sloStatus(), a maintenance calendar and
// drill registry, a real change log and canary judge behind the change queries, all on a fake clock.
import {
  calendarPeriod,
  createCanaryJudge,
  createChangeLog,
  createDrillRegistry,
  createIncidentRecorder,
  createMaintenanceCalendar,
  createSloTracker,
  ErrorCode,
  SreError,
  type DrillJournal,
} from 'sre-kit';
import { createFakeClock, createMemoryIncidentStore } from 'sre-kit/testing';
import type {
  CapacityForecast,
  DeploymentReadiness,
  MonitorHealthReport,
  PerformanceAnalysis,
} from '../../src/monitor/report-schemas.js';
import type { MonitorQueries } from '../../src/monitor/types.js';
import { ExternalPredictions } from '../../src/monitor/external-predictions.js';
import type { AnomalyReport } from '../../src/monitor/insight-schemas.js';

export const START = '2026-03-02T00:00:00Z';
const MINUTE = 60_000;

export function healthReport(includePredictions: boolean): MonitorHealthReport {
  return {
    timestamp: '2026-03-02T01:00:00.000Z',
    status: 'degraded',
    service: 'checkout',
    services: {
      api: { status: 'up', latency_ms: 45 },
      database: { status: 'degraded', connections: 12 },
      cache: { status: 'up', hit_rate: 0.94 },
    },
    sla_compliance: { availability: 99.95, error_rate: 0.05, response_time_p95: 187 },
    slos: [
      {
        name: 'api-availability',
        objective: 99.9,
        achieved: 99.5,
        budgetRemaining: -4,
        burnRate1h: 5,
        alert: 'page',
      },
    ],
    breakers: { payments: 'closed' },
    saturation: { eventLoopUtilization: 0.2, heapRatio: 0.4 },
    openIncidents: [
      { id: 'INC-2026-001', severity: 'P2', title: 'Errors', openedAt: START, acknowledged: false },
    ],
    openIncidentsOmitted: 0,
    ...(includePredictions
      ? {
          predictions: {
            budgetExhaustion: [
              {
                slo: 'api-availability',
                budgetRemaining: 0.5,
                burnRate: 2,
                exhaustsInMs: null,
                exhaustsAt: null,
                status: 'insufficient_data',
                missing: ['span 20 min of 1 h'],
                evidence: { spanMs: 1_200_000, samples: 6_000, fitR2: null, slopePerHour: 0.07 },
              },
            ],
            capacity: [],
            anomalies: [],
            external: [],
          },
        }
      : {}),
  };
}

export function performanceAnalysis(
  timeframe: PerformanceAnalysis['timeframe'],
  focusAreas: readonly string[],
): PerformanceAnalysis {
  return {
    timeframe,
    from: '2026-03-01T01:00:00.000Z',
    to: '2026-03-02T01:00:00.000Z',
    focusAreas: [...focusAreas],
    bottlenecks: [{ route: 'GET /orders', p95Ms: 240, p99Ms: 900, requests: 400, share: 0.4, budgetMs: 200 }],
    causes: [],
    immediate: ['GET /orders: p95 240 ms is above the 200 ms latency SLO'],
    planned: [],
    metrics: {
      requests: 1000,
      observedMs: 100_000_000,
      requestsPerSecond: 0.01,
      errors: 10,
      errorRate: 0.01,
      p50Ms: 20,
      p95Ms: 200,
      p99Ms: 800,
    },
  };
}

export function capacityForecast(horizonMs = 7 * 86_400_000): CapacityForecast {
  return {
    horizonMs,
    atRisk: ['heapRatio'],
    signals: [
      {
        signal: 'heapRatio',
        current: 0.7,
        limit: 0.9,
        slopePerHour: 0.01,
        reachesLimitInMs: 72_000_000,
        reachesLimitAt: '2026-03-02T21:00:00.000Z',
        confidence: 0.8,
        samples: 24,
        status: 'ok',
        missing: [],
        evidence: { spanMs: 7_200_000, samples: 24, fitR2: 0.8, slopePerHour: 0.01 },
      },
    ],
  };
}

export function deploymentReadiness(): DeploymentReadiness {
  return {
    ready: false,
    reasons: ['P2 incident INC-2026-001 is open'],
    checkedAt: '2026-03-02T01:00:00.000Z',
  };
}

/** A journal as a chaos drill that passed writes it. */
export function drillJournal(name = 'payments-failover'): DrillJournal {
  return {
    id: `${name}@2026-03-02T01:00:00.000Z`,
    drill: name,
    kind: 'chaos',
    service: 'checkout',
    description: '',
    startedAt: '2026-03-02T01:00:00.000Z',
    endedAt: '2026-03-02T01:02:00.000Z',
    durationMs: 120_000,
    verdict: 'passed',
    reasons: [],
    steadyState: {
      before: {
        at: '2026-03-02T01:00:00.000Z',
        met: true,
        probes: [
          { name: 'breaker:payments', value: 'closed', tolerance: '== closed', met: true, error: null },
        ],
      },
      after: {
        at: '2026-03-02T01:02:00.000Z',
        met: true,
        probes: [
          { name: 'breaker:payments', value: 'closed', tolerance: '== closed', met: true, error: null },
        ],
      },
    },
    injections: [
      {
        name: 'payments',
        errorRate: 1,
        latencyMs: null,
        startedAt: '2026-03-02T01:00:00.000Z',
        endedAt: '2026-03-02T01:01:00.000Z',
        durationMs: 60_000,
      },
    ],
    expected: { alerts: ['breaker:payments'], incidents: [], recoveredWithinMs: 120_000 },
    actual: {
      alerts: [
        {
          key: 'breaker:payments',
          name: 'CircuitBreakerOpen',
          severity: 'warning',
          firstSeenAt: '2026-03-02T01:00:04.000Z',
          silencedBy: null,
        },
      ],
      incidents: [],
    },
    missing: { alerts: [], incidents: [] },
    timeToDetectMs: 4_000,
    timeToRecoverMs: 75_000,
    abort: null,
    rollback: { ran: false, ok: null, error: null, at: null },
    maintenanceWindow: null,
    backup: null,
  };
}

/** Canned anomaly statuses: traffic judged (and anomalous), error_rate still learning. */
export function anomalyReport(): Omit<AnomalyReport, 'external'> {
  const evidence = {
    buckets: 400,
    bucketsNeeded: 31,
    historyMs: 400 * MINUTE,
    seasonalWeight: 0,
    scale: 12,
    recentAnomalous: 3,
    recentWindow: 5,
  };
  return {
    detector: true,
    signals: [
      {
        signal: 'traffic',
        state: 'anomalous',
        value: 950,
        expected: 410,
        band: [374, 446],
        score: 45,
        anomalous: true,
        since: '2026-03-02T00:57:00.000Z',
        at: '2026-03-02T00:59:00.000Z',
        evidence,
      },
      {
        signal: 'error_rate',
        state: 'insufficient_data',
        value: 0.01,
        expected: null,
        band: null,
        score: null,
        anomalous: false,
        since: null,
        at: '2026-03-02T00:59:00.000Z',
        evidence: { ...evidence, buckets: 20, scale: null, recentAnomalous: 0 },
      },
    ],
    predictions: [
      {
        signal: 'traffic',
        at: '2026-03-02T01:10:00.000Z',
        direction: 'up',
        confidence: 0.998,
        evidence: {
          score: 2.1,
          slopePerBucket: 0.2,
          tStatistic: 3.1,
          effectiveBuckets: 19,
          bucketsAhead: 4.5,
        },
      },
    ],
  };
}

/**
 * The double: real SLO trackers (one burning, one idle so its time to exhaustion is Infinity), a real
 * recorder holding three incidents (the first resolved), and a change log holding `deploy-1`, which
 * finished 5 minutes before the first incident opened. `overrides` replaces any query.
 */
export async function createMonitorDouble(overrides: Partial<MonitorQueries> = {}) {
  const clock = createFakeClock({ start: START });
  const incidents = createIncidentRecorder(
    { service: 'checkout', store: createMemoryIncidentStore() },
    { clock },
  );
  const availability = createSloTracker(
    { name: 'api-availability', objective: { kind: 'availability', target: 0.999 } },
    { clock },
  );
  const latency = createSloTracker(
    { name: 'api-latency', objective: { kind: 'latency', target: 0.95, thresholdMs: 200 } },
    { clock },
  );
  const changes = createChangeLog({ service: 'checkout' }, { clock });
  const judge = createCanaryJudge();
  for (let i = 0; i < 60; i++) {
    availability.record(true, 95);
    availability.record(false, 5);
    clock.advance(MINUTE);
  }
  changes.record({
    id: 'deploy-1',
    kind: 'deploy',
    version: 'v1.0.1',
    commits: [{ sha: 'a1b2c3d', committedAt: clock.wallNow() - 3 * 3_600_000 }],
    startedAt: clock.wallNow() - 10 * MINUTE,
    finishedAt: clock.wallNow() - 5 * MINUTE,
    status: 'succeeded',
  });
  const first = await incidents.open({ title: 'Errors above SLO', severity: 'P2', impact: '5% failing' });
  clock.advance(15 * MINUTE);
  await incidents.resolve(first.id, { resolution: 'Rolled back', rootCause: 'Bad deploy' });
  await incidents.open({ title: 'Breaker open', severity: 'P3' });
  clock.advance(MINUTE);
  await incidents.open({ title: 'Disk filling', severity: 'P4' });

  const maintenance = createMaintenanceCalendar({ timeZone: 'Europe/Berlin' }, { clock });
  maintenance.add({
    id: 'db-weekly',
    title: 'Weekly database restart',
    matchers: ['service="checkout"', 'component="database"'],
    recurring: { weekdays: ['sunday'], times: [{ start: '02:00', end: '03:00' }] },
    createdBy: 'ops',
  });
  const drills = createDrillRegistry();
  drills.register({
    name: 'payments-failover',
    kind: 'chaos',
    running: false,
    run: () => Promise.resolve(drillJournal()),
  });
  drills.record(drillJournal());

  const external = new ExternalPredictions();
  const monitor: MonitorQueries = {
    service: 'checkout',
    incidents,
    maintenance,
    drills,
    sloStatus: () => [availability.status(), latency.status()],
    healthReport: (options) => Promise.resolve(healthReport(options?.includePredictions ?? false)),
    slaReport: () => {
      throw new Error('not used by the protocol');
    },
    performanceAnalysis: (options) =>
      performanceAnalysis(options?.timeframe ?? 'last_24_hours', options?.focusAreas ?? []),
    capacityForecast: (options) => capacityForecast(options?.horizonMs),
    deploymentReadiness: () => Promise.resolve(deploymentReadiness()),
    incidentReport: (id) => incidents.report(id),
    recordChange: (change) => ({ ...changes.record(change), changeFreeze: [] }),
    changeCorrelation: (id) => {
      const incident = incidents.get(id);
      if (incident === undefined) throw new SreError(ErrorCode.INCIDENT_NOT_FOUND, `No incident ${id}`);
      return changes.correlate(incident);
    },
    doraReport: (options) => {
      if (!('period' in options))
        return changes.dora({ ...options, incidents: incidents.list(), asOf: clock.wallNow() + 1 });
      const at = options.at === undefined ? clock.wallNow() : Number(options.at);
      const { startMs: since, endMs: until } = calendarPeriod({ unit: options.period, at });
      return changes.dora({ since, until, incidents: incidents.list(), asOf: clock.wallNow() + 1 });
    },
    judgeCanary: (observation) => judge.evaluate(observation),
    anomalyReport: () => ({ ...anomalyReport(), external: external.list(clock.wallNow()) }),
    ingestPrediction: (prediction) => external.ingest(prediction, clock.wallNow()),
    ...overrides,
  };
  const close = async () => {
    availability.close();
    latency.close();
    await incidents.close();
  };
  return { clock, incidents, monitor, close };
}
