import { describe, expect, it } from 'vitest';
import { createChangeLog, doraReportSchema, type DoraIncident } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

// A synthetic 90-day log (2026-01-01 to 2026-04-01) whose DORA figures are known by construction:
//   - one deploy a day, 10:00 to 10:10, each shipping a commit from 16:00 the day before (lead 18 h
//     10 min) and one from 08:00 that day (2 h 10 min), plus the previous deploy's morning commit again
//     (already shipped: not counted twice); every deploy webhook arrives twice;
//   - days 10, 20, …, 90: rolled back at 11:00–11:05 (9 failures, recovered in 55 min);
//   - days 5, 15, 25: a hotfix 12:00–12:10 with one commit from 11:30 (3 failures, 2 h, lead 40 min);
//   - days 17, 27, 37: an incident naming the deploy, 10:30–11:30 (3 failures, 80 min);
//   - day 7: two incidents naming the deploy (10:30–11:30, 10:40–12:10): one failure, 2 h;
//   - day 47: an incident naming nothing, 10:25–10:55, linked by correlation (45 min);
//   - day 57: an incident on another service naming nothing: too weakly correlated to link;
//   - day 67: an incident naming the deploy two days later: outside the 24 h failure window;
//   - a deploy on 2025-12-31 rolled back at 00:30 on 2026-01-01: the rollback is the period's, the
//     failure is not; weekly config changes and one failed deploy are not deployments.
// Deployments: 90 + 9 + 3 + 1 = 103. Failed: 9 + 3 + 3 + 1 + 1 = 17. Rework: 13.
const at = (day: number, hour: number, minute = 0): number => Date.UTC(2026, 0, day, hour, minute);
const MIN = 60_000;
const HOUR = 3_600_000;

function syntheticLog() {
  const clock = createFakeClock({ start: '2026-04-02T00:00:00Z' });
  const changes = createChangeLog({ service: 'checkout' }, { clock });
  const deployId = (day: number): string => `deploy-${String(day).padStart(3, '0')}`;
  const actions: string[] = [];
  changes.record({ id: deployId(0), kind: 'deploy', startedAt: at(0, 10), finishedAt: at(0, 10, 10) });
  changes.record({
    id: 'rb-000',
    kind: 'rollback',
    rollbackOf: deployId(0),
    startedAt: at(1, 0, 30),
    finishedAt: at(1, 0, 35),
  });
  for (let day = 1; day <= 90; day++) {
    const deploy = {
      id: deployId(day),
      kind: 'deploy' as const,
      version: `v1.${day}.0`,
      startedAt: at(day, 10),
      finishedAt: at(day, 10, 10),
      commits: [
        { sha: `e${day}`, committedAt: at(day - 1, 16) },
        { sha: `m${day}`, committedAt: at(day, 8) },
        ...(day > 1 ? [{ sha: `m${day - 1}`, committedAt: at(day - 1, 8) }] : []),
      ],
    };
    actions.push(changes.record(deploy).action, changes.record(deploy).action);
    if (day % 10 === 0)
      changes.record({
        id: `rb-${day}`,
        kind: 'rollback',
        rollbackOf: deployId(day),
        startedAt: at(day, 11),
        finishedAt: at(day, 11, 5),
      });
    if (day === 5 || day === 15 || day === 25)
      changes.record({
        id: `hotfix-${day}`,
        kind: 'deploy',
        fixes: deployId(day),
        startedAt: at(day, 12),
        finishedAt: at(day, 12, 10),
        commits: [{ sha: `h${day}`, committedAt: at(day, 11, 30) }],
      });
    if (day % 7 === 4)
      changes.record({
        id: `config-${day}`,
        kind: 'config',
        startedAt: at(day, 9),
        finishedAt: at(day, 9, 1),
      });
  }
  changes.record({
    id: 'deploy-broken',
    kind: 'deploy',
    startedAt: at(3, 15),
    finishedAt: at(3, 15, 5),
    status: 'failed',
  });
  const incidents: DoraIncident[] = [
    ...[17, 27, 37].map((day) => ({
      id: `INC-${day}`,
      openedAt: at(day, 10, 30),
      resolvedAt: at(day, 11, 30),
      changeId: deployId(day),
    })),
    { id: 'INC-7a', openedAt: at(7, 10, 30), resolvedAt: at(7, 11, 30), changeId: deployId(7) },
    { id: 'INC-7b', openedAt: at(7, 10, 40), resolvedAt: at(7, 12, 10), changeId: deployId(7) },
    { id: 'INC-47', openedAt: at(47, 10, 25), resolvedAt: at(47, 10, 55) },
    { id: 'INC-57', openedAt: at(57, 10, 25), resolvedAt: at(57, 11), service: 'search' },
    { id: 'INC-67', openedAt: at(69, 10, 30), resolvedAt: at(69, 11), changeId: deployId(67) },
  ];
  // The same incident delivered twice counts once.
  incidents.push({ ...(incidents[0] as DoraIncident) });
  return { changes, incidents, actions };
}

describe('changes.dora() on a synthetic 90-day log', () => {
  const { changes, incidents, actions } = syntheticLog();
  const report = changes.dora({ since: at(1, 0), until: at(91, 0), incidents });

  it('records every retried webhook once', () => {
    expect(actions.filter((a) => a === 'recorded')).toHaveLength(90);
    expect(actions.filter((a) => a === 'duplicate')).toHaveLength(90);
    expect(changes.list({ kind: 'deploy' })).toHaveLength(1 + 90 + 3 + 1);
  });

  it('matches its schema and states the period', () => {
    expect(doraReportSchema.parse(report)).toEqual(report);
    expect(report.period).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      days: 90,
    });
  });

  it('counts deployments: deploys, hotfixes and rollbacks that succeeded, in the period', () => {
    expect(report.deploymentFrequency).toEqual({
      deployments: 103,
      days: 90,
      perDay: 103 / 90,
      perWeek: (7 * 103) / 90,
    });
  });

  it('counts failed deployments, once each, over deployments', () => {
    expect(report.changeFailRate).toEqual({ failed: 17, deployments: 103, ratio: 17 / 103 });
    const failed = report.failures.map((f) => f.deployment).sort();
    expect(failed).toEqual(
      [5, 7, 10, 15, 17, 20, 25, 27, 30, 37, 40, 47, 50, 60, 70, 80, 90]
        .map((d) => `deploy-${String(d).padStart(3, '0')}`)
        .sort(),
    );
    const day7 = report.failures.find((f) => f.deployment === 'deploy-007');
    expect(day7?.signals).toEqual([
      'incident INC-7a opened 20 min after it',
      'incident INC-7b opened 30 min after it',
    ]);
  });

  it('counts rework: rollbacks and hotfixes over deployments', () => {
    expect(report.deploymentReworkRate).toEqual({ rework: 13, deployments: 103, ratio: 13 / 103 });
  });

  it('measures recovery from each failed deployment', () => {
    // 45 min (1), 55 min (9), 80 min (3), 2 h (4): nearest-rank median is the 9th, p90 the 16th.
    expect(report.failedDeploymentRecoveryTime).toEqual({
      failed: 17,
      recovered: 17,
      unrecovered: 0,
      medianMs: 55 * MIN,
      p90Ms: 2 * HOUR,
    });
  });

  it('measures lead time from each commit to the first deploy that shipped it', () => {
    // 183 commits: 3 × 40 min, 90 × 2 h 10 min, 90 × 18 h 10 min.
    expect(report.leadTimeForChanges).toEqual({
      commits: 183,
      medianMs: 2 * HOUR + 10 * MIN,
      p90Ms: 18 * HOUR + 10 * MIN,
    });
  });

  it('is a pure read: asked twice, the same answer', () => {
    expect(changes.dora({ since: at(1, 0), until: at(91, 0), incidents })).toEqual(report);
  });

  it('counts an open linked incident as unrecovered', () => {
    const open = changes.dora({
      since: at(1, 0),
      until: at(91, 0),
      incidents: [{ id: 'INC-open', openedAt: at(33, 10, 30), changeId: 'deploy-033' }],
    });
    expect(open.failedDeploymentRecoveryTime).toMatchObject({ failed: 13, recovered: 12, unrecovered: 1 });
  });
});
