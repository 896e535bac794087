import { z } from 'zod';
import type { Change } from './change.js';
import { correlateChanges, describeMs } from './correlate.js';
import type { ParsedChangeLogOptions } from './options.js';

// The DORA metrics over a period, every ratio with its numerator and denominator.
//
// - A deployment is a change of kind `deploy` or `rollback` that succeeded, counted in the period its
//   end falls in (its start when it has no end). Failed applies, configs, flags and infra are not.
// - A deployment failed when, within `failureWindowMs` after it ended, a rollback reverted it, a hotfix
//   fixed it, or an incident linked to it opened. It counts once however many of those followed
//   (counting incidents instead inflated fourkeys' and DevLake's rates).
// - A rollback without `rollbackOf`, and a hotfix without `fixes`, point at the latest deploy of their
//   service that ended before they started. An incident links to its `changeId`, or else to its top
//   correlated change when that scores at least `minLinkScore`.
// - Recovery: from the failed deployment's end to the end of the first rollback or hotfix that followed
//   it, or else to the resolution of the last incident linked to it (unrecovered while one is open).
// - As of `asOf` (default: everything recorded): rollbacks, hotfixes and incidents from then on are
//   not counted, nor resolutions, so the report of a closed period never changes.
// - Lead time for changes: from each commit to the end of the first deploy that shipped it.
// - Rework: deployments that were rollbacks or hotfixes, over all deployments.

const DAY_MS = 86_400_000;
/** Failed deployments a report lists one by one. */
const MAX_LISTED_FAILURES = 100;

/** An incident as DORA reads it. */
export interface DoraIncident {
  readonly id: string;
  /** Epoch ms. */
  readonly openedAt: number;
  /** Epoch ms; unset while open. */
  readonly resolvedAt?: number | undefined;
  /** The service it affected. @default the change log's service */
  readonly service?: string | undefined;
  /**
   * The change it is attributed to; `null` for none. Unset: it is linked to its top correlated change
   * when that scores at least `minLinkScore`.
   */
  readonly changeId?: string | null | undefined;
}

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const ratio = z.number().min(0).max(1).nullable();
const maybeMs = z.number().min(0).nullable();

/** The schema of one failed deployment in a {@link DoraReport}. */
export const doraFailureSchema = z.object({
  deployment: z.string(),
  version: z.string().nullable(),
  service: z.string(),
  endedAt: isoTime,
  /** What made it a failure: one phrase per rollback, hotfix or incident. */
  signals: z.array(z.string()),
  recoveredAt: isoTime.nullable(),
  recoveryMs: maybeMs,
});

/** The schema of `changes.dora()`: DORA's five metrics, each with what it is counted from. */
export const doraReportSchema = z.object({
  period: z.object({ from: isoTime, to: isoTime, days: z.number().gt(0) }),
  /** Deployments over the period's days. */
  deploymentFrequency: z.object({
    deployments: count,
    days: z.number().gt(0),
    perDay: z.number().min(0),
    perWeek: z.number().min(0),
  }),
  /** From commit to the end of the deploy that first shipped it, over the period's deploys. */
  leadTimeForChanges: z.object({ commits: count, medianMs: maybeMs, p90Ms: maybeMs }),
  /** Deployments that failed over deployments (not incidents over anything). */
  changeFailRate: z.object({ failed: count, deployments: count, ratio }),
  /** From a failed deployment to its recovery, over the period's failed deployments. */
  failedDeploymentRecoveryTime: z.object({
    failed: count,
    recovered: count,
    unrecovered: count,
    medianMs: maybeMs,
    p90Ms: maybeMs,
  }),
  /** Rollbacks and hotfixes over deployments. */
  deploymentReworkRate: z.object({ rework: count, deployments: count, ratio }),
  /** The failed deployments, latest first, at most 100. */
  failures: z.array(doraFailureSchema),
  /** Failed deployments not listed in `failures`. */
  failuresOmitted: count,
  /** The counting rules in force. */
  rules: z.object({ failureWindowMs: z.number().gt(0), minLinkScore: z.number().min(0).max(1) }),
});

/** One failed deployment in a DORA report. */
export type DoraFailure = z.infer<typeof doraFailureSchema>;
/** The DORA metrics over a period. */
export type DoraReport = z.infer<typeof doraReportSchema>;

const endOf = (change: Change): number => change.finishedAt ?? change.startedAt;
const isDeployment = (change: Change): boolean =>
  (change.kind === 'deploy' || change.kind === 'rollback') && change.status === 'succeeded';

interface FailureSignal {
  readonly at: number;
  readonly text: string;
  /** When the failure was remedied by this signal: a rollback's or hotfix's end. */
  readonly remedyAt: number | undefined;
  /** For an incident: its resolution (`null` while open). */
  readonly resolvedAt?: number | null;
}

/** The DORA metrics over [since, until) from `changes` (sorted by start) and `incidents`. */
export function doraMetrics(
  changes: readonly Change[],
  incidents: readonly DoraIncident[],
  since: number,
  until: number,
  options: ParsedChangeLogOptions,
  asOf: number = Number.POSITIVE_INFINITY,
): DoraReport {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const deployments = changes.filter(isDeployment).sort((a, b) => endOf(a) - endOf(b));
  const signals = new Map<string, FailureSignal[]>();
  const window = options.failureWindowMs;
  // A rollback or hotfix that had not finished by `asOf` has not remedied anything yet.
  const remedy = (change: Change): number | undefined => {
    const end = change.finishedAt;
    return end !== undefined && end < asOf ? end : undefined;
  };
  const add = (target: Change | undefined, at: number, signal: FailureSignal): void => {
    if (target === undefined || !isDeployment(target)) return;
    const after = at - endOf(target);
    if (after < 0 || after > window) return;
    const list = signals.get(target.id) ?? [];
    list.push(signal);
    signals.set(target.id, list);
  };
  // The latest deploy of `service` that ended before `at` (what an unlabelled rollback or hotfix fixes).
  const latestDeploy = (service: string, at: number, except: string): Change | undefined => {
    let found: Change | undefined;
    for (const d of deployments) {
      if (endOf(d) > at) break;
      if (d.id !== except && d.kind === 'deploy' && d.service === service) found = d;
    }
    return found;
  };

  for (const change of changes) {
    if (change.status !== 'succeeded' || change.startedAt >= asOf) continue;
    // A rollback undoes, a hotfix repairs, the deploy it names (or the latest before it): a failure.
    const rollback = change.kind === 'rollback';
    if (!rollback && !change.hotfix) continue;
    const named = rollback ? change.rollbackOf : change.fixes;
    const target =
      named === undefined ? latestDeploy(change.service, change.startedAt, change.id) : byId.get(named);
    add(target, change.startedAt, {
      at: change.startedAt,
      text: rollback ? `rolled back by ${change.id}` : `fixed by hotfix ${change.id}`,
      remedyAt: remedy(change),
    });
  }
  const seenIncidents = new Set<string>();
  for (const incident of incidents) {
    if (seenIncidents.has(incident.id) || incident.openedAt >= asOf) continue; // the same incident twice counts once
    seenIncidents.add(incident.id);
    let target = incident.changeId == null ? undefined : byId.get(incident.changeId);
    if (target === undefined && incident.changeId === undefined) {
      const [top] = correlateChanges(changes, incident, options, undefined, 1);
      if (top !== undefined && top.score >= options.minLinkScore) target = top.change;
    }
    add(target, incident.openedAt, {
      at: incident.openedAt,
      text: `incident ${incident.id} opened`,
      remedyAt: undefined,
      resolvedAt:
        incident.resolvedAt !== undefined && incident.resolvedAt < asOf ? incident.resolvedAt : null,
    });
  }

  const inPeriod = deployments.filter((d) => endOf(d) >= since && endOf(d) < until);
  const failures: DoraFailure[] = [];
  const recoveries: number[] = [];
  let unrecovered = 0;
  for (const d of inPeriod) {
    const found = signals.get(d.id);
    if (found === undefined) continue;
    found.sort((a, b) => a.at - b.at);
    const remedies = found.flatMap((s) => (s.remedyAt === undefined ? [] : [s.remedyAt]));
    const linked = found.filter((s) => s.resolvedAt !== undefined);
    let recoveredAt: number | undefined;
    if (remedies.length > 0) recoveredAt = Math.min(...remedies);
    else if (linked.every((s) => s.resolvedAt !== null))
      recoveredAt = Math.max(...linked.map((s) => s.resolvedAt as number));
    const recoveryMs = recoveredAt === undefined ? null : Math.max(0, recoveredAt - endOf(d));
    if (recoveryMs === null) unrecovered++;
    else recoveries.push(recoveryMs);
    failures.push({
      deployment: d.id,
      version: d.version ?? null,
      service: d.service,
      endedAt: new Date(endOf(d)).toISOString(),
      signals: found.map((s) => `${s.text} ${describeMs(s.at - endOf(d))} after it`),
      recoveredAt: recoveredAt === undefined ? null : new Date(recoveredAt).toISOString(),
      recoveryMs,
    });
  }
  failures.reverse();

  // Lead time: each commit at the first deploy that shipped it, whichever period that was in.
  const firstShipped = new Map<string, string>();
  for (const d of deployments)
    if (d.kind === 'deploy')
      for (const c of d.commits) if (!firstShipped.has(c.sha)) firstShipped.set(c.sha, d.id);
  const leadTimes: number[] = [];
  for (const d of inPeriod)
    if (d.kind === 'deploy')
      for (const c of d.commits)
        if (firstShipped.get(c.sha) === d.id) leadTimes.push(Math.max(0, endOf(d) - c.committedAt));

  const days = (until - since) / DAY_MS;
  const n = inPeriod.length;
  const rework = inPeriod.filter((d) => d.kind === 'rollback' || d.hotfix).length;
  return {
    period: { from: new Date(since).toISOString(), to: new Date(until).toISOString(), days },
    deploymentFrequency: { deployments: n, days, perDay: n / days, perWeek: (7 * n) / days },
    leadTimeForChanges: {
      commits: leadTimes.length,
      medianMs: nearestRank(leadTimes, 0.5),
      p90Ms: nearestRank(leadTimes, 0.9),
    },
    changeFailRate: { failed: failures.length, deployments: n, ratio: n === 0 ? null : failures.length / n },
    failedDeploymentRecoveryTime: {
      failed: failures.length,
      recovered: recoveries.length,
      unrecovered,
      medianMs: nearestRank(recoveries, 0.5),
      p90Ms: nearestRank(recoveries, 0.9),
    },
    deploymentReworkRate: { rework, deployments: n, ratio: n === 0 ? null : rework / n },
    failures: failures.slice(0, MAX_LISTED_FAILURES),
    failuresOmitted: Math.max(0, failures.length - MAX_LISTED_FAILURES),
    rules: { failureWindowMs: window, minLinkScore: options.minLinkScore },
  };
}

/** The nearest-rank quantile (the ⌈q·n⌉-th smallest), or `null` of nothing. */
function nearestRank(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}
