import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createIncidentRecorder,
  createMemoryIncidentStore,
  createResponder,
  type Alert,
  type Runbook,
  type Severity,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const START = Date.parse('2026-01-01T00:00:00Z');
const severityArb = fc.constantFrom<Severity>('P1', 'P2', 'P3', 'P4', 'P5');

// A random incident history: openings, acknowledgements, resolutions (some automated) and time steps.
const historyArb = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('open' as const), severity: severityArb }),
    fc.record({ op: fc.constant('ack' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('resolve' as const), pick: fc.nat(), automated: fc.boolean() }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 3_600_000 }) }),
  ),
  { maxLength: 60 },
);

interface Truth {
  openedAt: number;
  severity: Severity;
  ackAt?: number;
  resolvedAt?: number;
  automated?: boolean;
}

// A window bound: none, any time, or exactly some incident's opening time (to probe the edges).
const boundArb = fc.option(
  fc.oneof(fc.record({ offset: fc.nat({ max: 40 * 3_600_000 }) }), fc.record({ opening: fc.nat() })),
);
function resolveBound(
  bound: { offset: number } | { opening: number } | null,
  openedAts: number[],
): number | undefined {
  if (bound === null) return undefined;
  if ('offset' in bound) return START + bound.offset;
  return openedAts.length === 0 ? undefined : openedAts[bound.opening % openedAts.length];
}

const mean = (xs: number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

describe('incident properties', () => {
  it('metrics equal brute-force computations over random histories and windows', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, boundArb, boundArb, async (history, sinceBound, untilBound) => {
        const clock = createFakeClock({ start: START });
        const recorder = createIncidentRecorder({ service: 's', maxIncidents: 1_000 }, { clock });
        const truth = new Map<string, Truth>();
        for (const step of history) {
          const ids = [...truth.keys()];
          if (step.op === 'open') {
            const incident = await recorder.open({ title: 't', severity: step.severity });
            truth.set(incident.id, { openedAt: clock.wallNow(), severity: step.severity });
          } else if (step.op === 'wait') {
            clock.advance(step.ms);
          } else if (ids.length > 0) {
            const id = ids[step.pick % ids.length]!;
            const t = truth.get(id)!;
            if (step.op === 'ack') {
              await recorder.acknowledge(id);
              if (t.ackAt === undefined && t.resolvedAt === undefined) t.ackAt = clock.wallNow();
            } else {
              await recorder.resolve(id, { automated: step.automated });
              if (t.resolvedAt === undefined) {
                t.resolvedAt = clock.wallNow();
                t.automated = step.automated;
              }
            }
          }
        }
        const openedAts = [...truth.values()].map((t) => t.openedAt);
        const since = resolveBound(sinceBound, openedAts);
        const until = resolveBound(untilBound, openedAts);
        const inWindow = [...truth.values()].filter(
          (t) => (since === undefined || t.openedAt >= since) && (until === undefined || t.openedAt < until),
        );
        const openings = inWindow.map((t) => t.openedAt).sort((a, b) => a - b);
        const gaps = openings.slice(1).map((at, i) => at - openings[i]!);
        // The window counts only what happened inside it: resolutions and acknowledgements before its end.
        const before = (at: number | undefined) => at !== undefined && (until === undefined || at < until);
        const resolved = inWindow.filter((t) => before(t.resolvedAt));
        const expected = {
          count: inWindow.length,
          bySeverity: Object.fromEntries(
            (['P1', 'P2', 'P3', 'P4', 'P5'] as const).map((s) => [
              s,
              inWindow.filter((t) => t.severity === s).length,
            ]),
          ),
          mttaMs: mean(inWindow.filter((t) => before(t.ackAt)).map((t) => t.ackAt! - t.openedAt)),
          mttrMs: mean(resolved.map((t) => t.resolvedAt! - t.openedAt)),
          mtbfMs: mean(gaps),
          autoResolvedRatio:
            resolved.length === 0 ? null : resolved.filter((t) => t.automated).length / resolved.length,
          open: inWindow.length - resolved.length,
        };
        const actual = recorder.metrics({
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
        });
        expect({ ...actual, mtbfMs: null, mttaMs: null, mttrMs: null }).toEqual({
          ...expected,
          mtbfMs: null,
          mttaMs: null,
          mttrMs: null,
        });
        for (const key of ['mttaMs', 'mttrMs', 'mtbfMs'] as const) {
          if (expected[key] === null) expect(actual[key]).toBeNull();
          else expect(actual[key]).toBeCloseTo(expected[key], 6);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('dedup never yields two unresolved incidents for one key, even with concurrent signals and restarts', async () => {
    const opArb = fc.oneof(
      fc.record({
        op: fc.constant('burst' as const),
        keys: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 6 }),
      }),
      fc.record({ op: fc.constant('resolve' as const), key: fc.nat({ max: 3 }) }),
      fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 120_000 }) }),
      fc.record({ op: fc.constant('restart' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const clock = createFakeClock({ start: START });
        const store = createMemoryIncidentStore();
        const make = () => createIncidentRecorder({ service: 's', store, reopenWindowMs: 60_000 }, { clock });
        let recorder = make();
        const check = (): void => {
          const unresolved = recorder.list({ status: ['open', 'acknowledged'] });
          const keys = unresolved.map((i) => i.dedupKey);
          expect(new Set(keys).size).toBe(keys.length);
        };
        for (const step of ops) {
          if (step.op === 'burst') {
            // Signals arriving together: none may see a stale "no open incident".
            await Promise.all(
              step.keys.map((k) => recorder.trigger({ title: 't', severity: 'P3', dedupKey: `k${k}` })),
            );
          } else if (step.op === 'resolve') {
            const open = recorder.findOpen(`k${step.key}`);
            if (open !== undefined) await recorder.resolve(open.id);
          } else if (step.op === 'wait') {
            clock.advance(step.ms);
          } else {
            await recorder.close();
            recorder = make();
          }
          check();
        }
        // Ids are unique and increasing in opening order.
        const seqs = recorder.list().map((i) => Number(i.id.split('-')[2]));
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(seqs.length);
      }),
      { numRuns: 150 },
    );
  });

  it('the responder escalates exactly when no runbook resolves the alert', async () => {
    const attemptArb = fc.record({
      remediateThrows: fc.boolean(),
      verify: fc.constantFrom<boolean | 'throws'>(true, false, 'throws'),
    });
    const runbookArb = fc.record({
      matches: fc.boolean(),
      diagnoseThrows: fc.boolean(),
      attempts: fc.array(attemptArb, { minLength: 3, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(runbookArb, { maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (specs, maxAttempts) => {
          const clock = createFakeClock({ start: START });
          const recorder = createIncidentRecorder({ service: 'api' }, { clock });
          let escalations = 0;
          const runbooks: Runbook[] = specs.map((spec, index) => ({
            name: `rb${index}`,
            match: () => spec.matches,
            diagnose: () => {
              if (spec.diagnoseThrows) throw new Error('diagnose');
              return { summary: 'ok' };
            },
            remediate: ({ attempt }) => {
              if (spec.attempts[attempt - 1]!.remediateThrows) throw new Error('remediate');
            },
            verify: ({ attempt }) => {
              const v = spec.attempts[attempt - 1]!.verify;
              if (v === 'throws') throw new Error('verify');
              return v;
            },
          }));
          const responder = createResponder(
            { recorder, runbooks, maxAttempts, cooldownMs: 0, escalate: () => void escalations++ },
            { clock },
          );
          const alert: Alert = { name: 'A', severity: 'critical', service: 'api', summary: 's' };
          const result = await responder.handle(alert);

          // The model: the first matching runbook, a clean diagnosis, then the first attempt that works.
          const chosen = specs.find((spec) => spec.matches);
          let expectedAttempts = 0;
          let resolves = false;
          if (chosen !== undefined && !chosen.diagnoseThrows) {
            for (let a = 0; a < maxAttempts; a++) {
              expectedAttempts = a + 1;
              const attempt = chosen.attempts[a]!;
              if (!attempt.remediateThrows && attempt.verify === true) {
                resolves = true;
                break;
              }
            }
          }
          expect(result.outcome).toBe(resolves ? 'auto_resolved' : 'escalated');
          expect(escalations).toBe(resolves ? 0 : 1);
          expect(result.attempts).toBe(expectedAttempts);
          expect(result.incident?.status).toBe(resolves ? 'resolved' : 'open');
          expect(clock.pendingCount).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
