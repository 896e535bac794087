import { z } from 'zod';
import { ErrorCode, SreError } from '../core/index.js';

/** What changed: a deployment, a configuration or feature-flag change, infrastructure, or a rollback. */
export type ChangeKind = 'deploy' | 'config' | 'flag' | 'infra' | 'rollback';
/** Where a change is: still going, done, or failed to apply. */
export type ChangeStatus = 'in_progress' | 'succeeded' | 'failed';
/** A time as epoch ms, a `Date` or an ISO-8601 string. */
export type TimeInput = number | Date | string;

/** A commit a change ships, with when it was committed (for DORA's lead time for changes). */
export interface CommitInput {
  readonly sha: string;
  readonly committedAt: TimeInput;
}

/** A change as the orchestrator reports it to `record` (a deploy webhook, a flag flip, ...). */
export interface ChangeInput {
  /**
   * The change's id, its idempotency key: recording the same id again (a retried webhook) updates that
   * one change and never counts it twice.
   */
  readonly id: string;
  readonly kind: ChangeKind;
  /** The service changed. @default the change log's `service` */
  readonly service?: string;
  /** The version shipped, e.g. `v2.3.1`. */
  readonly version?: string;
  /** A line saying what changed. */
  readonly description?: string;
  /** The commits shipped (at most 1,000). */
  readonly commits?: readonly CommitInput[];
  readonly startedAt: TimeInput;
  /** When it finished; unset while in progress. */
  readonly finishedAt?: TimeInput;
  /** @default 'succeeded' when `finishedAt` is set, else 'in_progress' */
  readonly status?: ChangeStatus;
  /** For a rollback: the id of the change it reverts (else the latest earlier deployment of its service). */
  readonly rollbackOf?: string;
  /** A hotfix: a deployment made to fix a failure rather than planned. */
  readonly hotfix?: boolean;
  /** For a hotfix: the id of the change it fixes (implies `hotfix`). */
  readonly fixes?: string;
}

/** A commit as the change log holds it. */
export interface Commit {
  readonly sha: string;
  /** Epoch ms. */
  readonly committedAt: number;
}

/** A change as the change log holds it: times in epoch ms, defaults filled in, frozen. */
export interface Change {
  readonly id: string;
  readonly kind: ChangeKind;
  readonly service: string;
  readonly version: string | undefined;
  readonly description: string | undefined;
  readonly commits: readonly Commit[];
  readonly startedAt: number;
  readonly finishedAt: number | undefined;
  readonly status: ChangeStatus;
  readonly rollbackOf: string | undefined;
  /** Whether it is a hotfix (`hotfix: true`, or `fixes` set). */
  readonly hotfix: boolean;
  readonly fixes: string | undefined;
  /** When the change log first recorded it (its clock's wall time). */
  readonly recordedAt: number;
}

const name = z.string().min(1).max(256);
const time = z.union([z.number().finite().min(0).max(8.64e15), z.date(), z.iso.datetime({ offset: true })]);

/** The schema of a {@link ChangeInput} (what `record` and the agent's `record_change` accept). */
export const changeInputSchema = z.strictObject({
  id: name,
  kind: z.enum(['deploy', 'config', 'flag', 'infra', 'rollback']),
  service: z.string().min(1).max(128).optional(),
  version: z.string().min(1).max(128).optional(),
  description: z.string().max(1_000).optional(),
  commits: z
    .array(z.strictObject({ sha: z.string().min(1).max(128), committedAt: time }))
    .max(1_000)
    .optional(),
  startedAt: time,
  finishedAt: time.optional(),
  status: z.enum(['in_progress', 'succeeded', 'failed']).optional(),
  rollbackOf: name.optional(),
  hotfix: z.boolean().optional(),
  fixes: name.optional(),
});

/** A time input in epoch ms (`NaN` when it is not a time). */
export function timeInputMs(value: TimeInput): number {
  return typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
}

/**
 * A checked input as a change (not yet merged with an earlier record of its id).
 * @throws {SreError} `ERR_SRE_INVALID_INPUT` naming the bad field.
 */
export function toChange(input: ChangeInput, defaultService: string, recordedAt: number): Change {
  const result = changeInputSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue === undefined ? '(change)' : issue.path.join('.') || '(change)';
    throw new SreError(ErrorCode.INVALID_INPUT, `Invalid change: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  const value = result.data;
  const startedAt = timeInputMs(value.startedAt);
  const finishedAt = value.finishedAt === undefined ? undefined : timeInputMs(value.finishedAt);
  if (Number.isNaN(startedAt) || (finishedAt !== undefined && Number.isNaN(finishedAt)))
    throw new SreError(ErrorCode.INVALID_INPUT, 'Invalid change: startedAt or finishedAt is not a time');
  if (finishedAt !== undefined && finishedAt < startedAt)
    throw new SreError(ErrorCode.INVALID_INPUT, `Invalid change ${value.id}: finishedAt is before startedAt`);
  if (value.rollbackOf !== undefined && value.kind !== 'rollback')
    throw new SreError(
      ErrorCode.INVALID_INPUT,
      `Invalid change ${value.id}: rollbackOf is for kind 'rollback'`,
    );
  const commits = new Map<string, Commit>();
  for (const commit of value.commits ?? [])
    commits.set(commit.sha, { sha: commit.sha, committedAt: timeInputMs(commit.committedAt) });
  return Object.freeze({
    id: value.id,
    kind: value.kind,
    service: value.service ?? defaultService,
    version: value.version,
    description: value.description,
    commits: Object.freeze([...commits.values()].map((c) => Object.freeze(c))),
    startedAt,
    finishedAt,
    status: value.status ?? (finishedAt === undefined ? 'in_progress' : 'succeeded'),
    rollbackOf: value.rollbackOf,
    hotfix: value.hotfix === true || value.fixes !== undefined,
    fixes: value.fixes,
    recordedAt,
  });
}

/**
 * `later` recorded over `earlier` (the same id): what `later` states wins, commits are merged, kind
 * and service stay those first recorded.
 * @throws {SreError} `ERR_SRE_INVALID_INPUT` when `later` names another kind or service.
 */
export function mergeChange(earlier: Change, later: Change, input: ChangeInput): Change {
  if (later.kind !== earlier.kind || later.service !== earlier.service)
    throw new SreError(
      ErrorCode.INVALID_INPUT,
      `Change ${earlier.id} was recorded as a ${earlier.kind} of ${earlier.service}; it cannot become a ${later.kind} of ${later.service}`,
    );
  const commits = new Map(earlier.commits.map((c) => [c.sha, c]));
  for (const commit of later.commits) commits.set(commit.sha, commit);
  return Object.freeze({
    ...earlier,
    version: later.version ?? earlier.version,
    description: later.description ?? earlier.description,
    commits: Object.freeze([...commits.values()]),
    startedAt: later.startedAt,
    finishedAt: later.finishedAt ?? earlier.finishedAt,
    status: input.status ?? (later.finishedAt === undefined ? earlier.status : later.status),
    rollbackOf: later.rollbackOf ?? earlier.rollbackOf,
    hotfix: later.hotfix || earlier.hotfix,
    fixes: later.fixes ?? earlier.fixes,
  });
}

/** Whether two records of one id say the same thing (a retried webhook). */
export function sameChange(a: Change, b: Change): boolean {
  return (
    a.kind === b.kind &&
    a.service === b.service &&
    a.version === b.version &&
    a.description === b.description &&
    a.startedAt === b.startedAt &&
    a.finishedAt === b.finishedAt &&
    a.status === b.status &&
    a.rollbackOf === b.rollbackOf &&
    a.hotfix === b.hotfix &&
    a.fixes === b.fixes &&
    a.commits.length === b.commits.length &&
    a.commits.every((c, i) => c.sha === b.commits[i]?.sha && c.committedAt === b.commits[i]?.committedAt)
  );
}

const isoTime = z.iso.datetime({ offset: true });

/** The schema of a change as plain JSON (times as ISO-8601 strings, unset fields `null`). */
export const changeReportSchema = z.object({
  id: z.string(),
  kind: z.enum(['deploy', 'config', 'flag', 'infra', 'rollback']),
  service: z.string(),
  version: z.string().nullable(),
  description: z.string().nullable(),
  commits: z.array(z.object({ sha: z.string(), committedAt: isoTime })),
  startedAt: isoTime,
  finishedAt: isoTime.nullable(),
  status: z.enum(['in_progress', 'succeeded', 'failed']),
  rollbackOf: z.string().nullable(),
  hotfix: z.boolean(),
  fixes: z.string().nullable(),
  recordedAt: isoTime,
});

/** A change as plain JSON. */
export type ChangeReport = z.infer<typeof changeReportSchema>;

/** A change as plain JSON: what the agent protocol sends back. */
export function toChangeReport(change: Change): ChangeReport {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    id: change.id,
    kind: change.kind,
    service: change.service,
    version: change.version ?? null,
    description: change.description ?? null,
    commits: change.commits.map((c) => ({ sha: c.sha, committedAt: iso(c.committedAt) })),
    startedAt: iso(change.startedAt),
    finishedAt: change.finishedAt === undefined ? null : iso(change.finishedAt),
    status: change.status,
    rollbackOf: change.rollbackOf ?? null,
    hotfix: change.hotfix,
    fixes: change.fixes ?? null,
    recordedAt: iso(change.recordedAt),
  };
}
