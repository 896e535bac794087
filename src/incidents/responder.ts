import { z } from 'zod';
import {
  ErrorCode,
  parseOptions,
  resolveDeps,
  SreError,
  TimeoutError,
  type Clock,
  type Deps,
  type InternalErrorHandler,
} from '../core/index.js';
import { alertKey, checkAlert, incidentSeverityOf, type Alert } from './alert.js';
import type { Incident } from './incident.js';
import type { IncidentRecorder, TriggerAction } from './recorder.js';
import type { Severity } from './severity.js';
import { userObject } from './user-object.js';

/** What a runbook found out before remediating; it is recorded on the incident and given to `escalate`. */
export interface Diagnosis {
  /** One line, e.g. `pool at 100 %, 40 waiters`. */
  readonly summary: string;
  /** The cause, if the runbook could tell; recorded as the incident's root cause when it resolves it. */
  readonly rootCause?: string;
  /** Anything else worth handing to a human. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a runbook's steps receive. */
export interface RunbookContext {
  readonly alert: Alert;
  readonly incident: Incident;
  /** Aborted when the step times out (or the responder closes): stop work and let it reject. */
  readonly signal: AbortSignal;
  /** 1 for the first remediation attempt; 0 while diagnosing. */
  readonly attempt: number;
  /** The diagnosis (present in `remediate` and `verify`). */
  readonly diagnosis?: Diagnosis;
}

/** Automated response to one kind of alert: the seed's detect → diagnose → resolve, as code. */
export interface Runbook {
  /** Names the runbook in the incident timeline and in the resolution. */
  readonly name: string;
  /** Whether this runbook handles `alert`; the first runbook that matches is used. */
  match(alert: Alert): boolean;
  /** Finds out what is wrong; when it throws or times out the incident is escalated. @default none */
  diagnose?(context: RunbookContext): Diagnosis | Promise<Diagnosis>;
  /** Tries to fix it; a throw or timeout fails the attempt. */
  remediate(context: RunbookContext): unknown;
  /** Whether the fix worked; `false`, a throw or a timeout fails the attempt. */
  verify(context: RunbookContext): boolean | Promise<boolean>;
  /** Overrides the responder's `maxAttempts` for this runbook. */
  readonly maxAttempts?: number;
  /** Overrides the responder's `cooldownMs` for this runbook. */
  readonly cooldownMs?: number;
  /** Overrides the responder's `timeoutMs` for this runbook. */
  readonly timeoutMs?: number;
  /** The resolution recorded when it succeeds. @default `Runbook <name> remediated and verified` */
  readonly resolution?: string;
}

/** Why an incident was escalated. */
export type EscalationReason =
  'no_runbook' | 'diagnosis_failed' | 'remediation_failed' | 'verification_failed';

/** The third argument of `escalate`: why, and what was tried. */
export interface EscalationContext {
  readonly alert: Alert;
  readonly reason: EscalationReason;
  /** The runbook that was tried, if one matched. */
  readonly runbook?: string;
  readonly attempts: number;
  /** The last error, when a step threw or timed out. */
  readonly error?: unknown;
}

/** What the responder tells `notify` after handling an alert (suppressed alerts are not notified). */
export interface ResponseNotice {
  readonly alert: Alert;
  readonly incident: Incident;
  readonly outcome: 'auto_resolved' | 'escalated';
  readonly attempts: number;
  readonly runbook?: string;
  readonly diagnosis?: Diagnosis;
}

/** Options for {@link createResponder}. */
export interface ResponderOptions {
  /** Where incidents are recorded. */
  readonly recorder: IncidentRecorder;
  /** Tried in order; the first whose `match` accepts the alert runs. */
  readonly runbooks: readonly Runbook[];
  /**
   * Hands the incident to humans (page on-call), e.g. `pagerDutyNotifier(...).escalate`. Called when no
   * runbook matches, diagnosis fails, or every remediation attempt fails. When it throws, `handle`
   * rejects with its error: an escalation that did not go out must not look like one that did.
   */
  readonly escalate: (incident: Incident, diagnosis: Diagnosis, context: EscalationContext) => unknown;
  /**
   * Told about every auto-resolution and escalation, e.g. to post to a chat channel. Its failures go
   * to `onInternalError` and never change the outcome.
   * @default none
   */
  readonly notify?: (notice: ResponseNotice) => unknown;
  /**
   * Picks the incident severity for an alert.
   * @default the alert's `priority` label if P1–P5, else critical → P2, warning → P3, info → P4
   */
  readonly severityOf?: (alert: Alert) => Severity;
  /**
   * Remediation attempts per incident (each is remediate, then verify) before escalating.
   * @default 2
   */
  readonly maxAttempts?: number;
  /**
   * The wait between a failed attempt and the next, on the injected clock.
   * @default 10_000
   */
  readonly cooldownMs?: number;
  /**
   * The time limit of each step (diagnose, remediate, verify), on the injected clock; the step's
   * `signal` is aborted when it passes.
   * @default 60_000
   */
  readonly timeoutMs?: number;
}

const fn = <T>(): z.ZodType<T> =>
  z.custom<T>((value) => typeof value === 'function', { message: 'a function' });

const runbookSchema = z.object({
  name: z.string().min(1),
  match: fn(),
  diagnose: fn().optional(),
  remediate: fn(),
  verify: fn(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  cooldownMs: z.number().min(0).max(2_147_483_647).optional(),
  timeoutMs: z.number().positive().max(2_147_483_647).optional(),
  resolution: z.string().optional(),
});

const optionsSchema = z.strictObject({
  recorder: userObject<IncidentRecorder>(
    (recorder) => typeof recorder.trigger === 'function',
    'an IncidentRecorder',
  ),
  runbooks: z.array(runbookSchema),
  escalate: fn<ResponderOptions['escalate']>(),
  notify: fn<NonNullable<ResponderOptions['notify']>>().optional(),
  severityOf: fn<NonNullable<ResponderOptions['severityOf']>>().optional(),
  maxAttempts: z.number().int().min(1).max(100).default(2),
  cooldownMs: z.number().min(0).max(2_147_483_647).default(10_000),
  timeoutMs: z.number().positive().max(2_147_483_647).default(60_000),
});

/** @internal The schema {@link ResponderOptions} is checked against (bound by a type test). */
export const responderOptionsSchema = optionsSchema;

/** What {@link Responder.handle} did. */
export type ResponseResult =
  | {
      /** `auto_resolved`: a runbook fixed it (or its alert resolved); `escalated`: handed to humans. */
      readonly outcome: 'auto_resolved' | 'escalated';
      readonly incident: Incident;
      /** Remediation attempts made. */
      readonly attempts: number;
    }
  | {
      /**
       * `suppressed`: nothing to do — the alert folded into an incident already being handled, it
       * reopened an incident people already own (acknowledged or escalated: they are not paged again),
       * or it is a resolved alert with no open incident (then `incident` is undefined).
       */
      readonly outcome: 'suppressed';
      readonly incident: Incident | undefined;
      readonly attempts: 0;
    };

/** What {@link HandleAlertOptions.onRecorded} is told: the incident the alert changed, and how. */
export interface AlertRecorded {
  /** The incident as the store now holds it. */
  readonly incident: Incident;
  /** What the alert did: opened, deduplicated into or reopened an incident, or resolved one. */
  readonly action: TriggerAction | 'resolved';
}

/** Options of {@link Responder.handle}. */
export interface HandleAlertOptions {
  /**
   * Called once the alert's change is durable in the incident store (opened, deduplicated, reopened or
   * resolved), before any runbook step runs; never called for an alert that changed nothing (a resolved
   * alert without an open incident). A webhook answers its sender here, so the sender retries anything
   * not yet durable without waiting for the runbook. A throw here goes to `onInternalError`.
   * @default none
   */
  readonly onRecorded?: (recorded: AlertRecorded) => void;
}

/** Runs the seed's incident response for each alert: record, triage, diagnose, remediate, verify, or escalate. */
export interface Responder {
  /**
   * Handles one alert: opens (or dedups) its incident, runs the first matching runbook's diagnose, then
   * up to `maxAttempts` × (remediate, verify) with a cooldown between attempts and a timeout on each
   * step, and resolves the incident as automated — or escalates. A signal that reopens an incident
   * already acknowledged or escalated is noted on it and not escalated again. A resolved alert resolves
   * its open incident, its summary recorded as the resolution's reason.
   * @throws {SreError} `ERR_SRE_INVALID_INPUT` for a malformed alert; whatever `escalate` threw; the
   *   store's error when the incident could not be recorded.
   */
  handle(alert: Alert, options?: HandleAlertOptions): Promise<ResponseResult>;
  /** Aborts runbook steps in progress (their attempts fail) and stops accepting alerts. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The start of the timeline note an escalation leaves (also how a later process recognises one). */
const ESCALATED = 'Escalated';
/** Escalated incident ids remembered in memory; older ones are recognised by their timeline note. */
const MAX_REMEMBERED_ESCALATIONS = 10_000;

interface PreparedRunbook {
  readonly runbook: Runbook;
  readonly maxAttempts: number;
  readonly cooldownMs: number;
  readonly timeoutMs: number;
}

/**
 * Creates a responder: the seed's `handleIncident` as a library.
 *
 * @example
 * ```ts
 * const responder = createResponder({
 *   recorder: incidents,
 *   runbooks: [{
 *     name: 'restart-worker',
 *     match: (alert) => alert.name === 'WorkerStuck',
 *     diagnose: async () => ({ summary: 'queue not draining', rootCause: 'worker deadlock' }),
 *     remediate: ({ signal }) => workers.restart({ signal }),
 *     verify: async () => (await queue.depth()) < 100,
 *   }],
 *   escalate: pagerDuty.escalate,
 * });
 * const { outcome } = await responder.handle(alert); // 'auto_resolved' | 'escalated' | 'suppressed'
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createResponder(options: ResponderOptions, deps?: Deps): Responder {
  const parsed = parseOptions(optionsSchema, options, 'createResponder');
  const { clock, onInternalError } = resolveDeps(deps);
  // The caller's runbook objects, not zod's copies: their methods may use `this`.
  const runbooks = options.runbooks.map((runbook) => ({
    runbook,
    maxAttempts: runbook.maxAttempts ?? parsed.maxAttempts,
    cooldownMs: runbook.cooldownMs ?? parsed.cooldownMs,
    timeoutMs: runbook.timeoutMs ?? parsed.timeoutMs,
  }));
  return new ResponderImpl(options, runbooks, clock, onInternalError);
}

class ResponderImpl implements Responder {
  readonly #recorder: IncidentRecorder;
  readonly #runbooks: readonly PreparedRunbook[];
  readonly #escalate: ResponderOptions['escalate'];
  readonly #notify: ResponderOptions['notify'];
  readonly #severityOf: (alert: Alert) => Severity;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #closed = new AbortController();
  // Incidents escalated by this responder (oldest forgotten first), so a reopening never pages twice.
  readonly #escalated = new Set<string>();

  constructor(
    options: ResponderOptions,
    runbooks: readonly PreparedRunbook[],
    clock: Clock,
    onError: InternalErrorHandler,
  ) {
    this.#recorder = options.recorder;
    this.#runbooks = runbooks;
    this.#escalate = options.escalate;
    this.#notify = options.notify;
    this.#severityOf = options.severityOf ?? incidentSeverityOf;
    this.#clock = clock;
    this.#onError = onError;
  }

  async handle(alert: Alert, options?: HandleAlertOptions): Promise<ResponseResult> {
    checkAlert(alert);
    if (this.#closed.signal.aborted) throw new SreError(ErrorCode.CLOSED, 'The responder is closed');
    const key = alertKey(alert);
    const recorded = options?.onRecorded;
    if (alert.status === 'resolved') return this.#handleResolved(alert, key, recorded);

    const severity = this.#severityOf(alert);
    const { incident, action } = await this.#recorder.trigger({
      title: alert.summary === '' ? alert.name : alert.summary,
      severity,
      service: alert.service,
      impact: alert.description ?? '',
      dedupKey: key,
      source: alert.source ?? 'alert',
      labels: { ...alert.labels, alertname: alert.name },
    });
    this.#recorded(recorded, incident, action);
    // Already being handled (or already escalated): one response per incident, not per signal.
    if (action === 'deduplicated') return { outcome: 'suppressed', incident, attempts: 0 };
    // Reopened within the reopen window: people who were paged (or took it on) still own it. Paging
    // them again for the same problem, or running a runbook behind their backs, helps nobody.
    if (action === 'reopened') {
      const owner = this.#ownedByPeople(incident);
      if (owner !== undefined) {
        await this.#note(incident.id, `Reopened; not escalated again: ${owner}`);
        return { outcome: 'suppressed', incident: this.#recorder.get(incident.id) ?? incident, attempts: 0 };
      }
    }

    const prepared = this.#findRunbook(alert);
    if (prepared === undefined) {
      const diagnosis = { summary: `No runbook matches alert ${alert.name}` };
      return this.#escalation(alert, incident, diagnosis, { reason: 'no_runbook', attempts: 0 });
    }
    const { runbook } = prepared;
    const name = runbook.name;

    let diagnosis: Diagnosis;
    try {
      diagnosis =
        runbook.diagnose === undefined
          ? { summary: `Runbook ${name} matched` }
          : checkDiagnosis(
              await this.#step(prepared, (signal) =>
                (runbook.diagnose as NonNullable<Runbook['diagnose']>).call(runbook, {
                  alert,
                  incident,
                  signal,
                  attempt: 0,
                }),
              ),
            );
    } catch (error) {
      const diagnosis = { summary: `Runbook ${name} could not diagnose: ${messageOf(error)}` };
      return this.#escalation(alert, incident, diagnosis, {
        reason: 'diagnosis_failed',
        runbook: name,
        attempts: 0,
        error,
      });
    }
    await this.#note(incident.id, `Diagnosis (${name}): ${diagnosis.summary}`);

    let reason: EscalationReason = 'verification_failed';
    let lastError: unknown;
    let attempts = 0;
    for (let attempt = 1; attempt <= prepared.maxAttempts; attempt++) {
      if (attempt > 1) await this.#sleep(prepared.cooldownMs);
      if (this.#closed.signal.aborted) break;
      attempts = attempt;
      const context = { alert, incident: this.#recorder.get(incident.id) ?? incident, attempt, diagnosis };
      try {
        await this.#step(prepared, (signal) => runbook.remediate.call(runbook, { ...context, signal }));
      } catch (error) {
        reason = 'remediation_failed';
        lastError = error;
        await this.#note(
          incident.id,
          `Runbook ${name} attempt ${attempt}: remediation failed: ${messageOf(error)}`,
        );
        continue;
      }
      let verified = false;
      try {
        verified =
          (await this.#step(prepared, (signal) => runbook.verify.call(runbook, { ...context, signal }))) ===
          true;
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      if (verified) {
        const resolved = await this.#recorder.resolve(incident.id, {
          resolution: runbook.resolution ?? `Runbook ${name} remediated and verified`,
          ...(diagnosis.rootCause === undefined ? {} : { rootCause: diagnosis.rootCause }),
          automated: true,
          by: `runbook:${name}`,
        });
        this.#tell({
          alert,
          incident: resolved,
          outcome: 'auto_resolved',
          attempts,
          runbook: name,
          diagnosis,
        });
        return { outcome: 'auto_resolved', incident: resolved, attempts };
      }
      reason = 'verification_failed';
      await this.#note(
        incident.id,
        `Runbook ${name} attempt ${attempt}: verification failed${lastError === undefined ? '' : `: ${messageOf(lastError)}`}`,
      );
    }
    return this.#escalation(alert, incident, diagnosis, {
      reason,
      runbook: name,
      attempts,
      ...(lastError === undefined ? {} : { error: lastError }),
    });
  }

  close(): Promise<void> {
    this.#closed.abort(new SreError(ErrorCode.CLOSED, 'The responder is closed'));
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // Who already owns a reopened incident, if people do: it was acknowledged, or escalated to them (by
  // this responder, or by an earlier process whose escalation note the timeline keeps).
  #ownedByPeople(incident: Incident): string | undefined {
    if (incident.acknowledgedAt !== undefined)
      return `acknowledged${incident.acknowledgedBy === undefined ? '' : ` by ${incident.acknowledgedBy}`} at ${new Date(incident.acknowledgedAt).toISOString()}`;
    const escalated =
      this.#escalated.has(incident.id) ||
      incident.timeline.some((entry) => entry.by === 'responder' && entry.text.startsWith(ESCALATED));
    return escalated ? 'already escalated' : undefined;
  }

  async #handleResolved(
    alert: Alert,
    key: string,
    recorded: HandleAlertOptions['onRecorded'],
  ): Promise<ResponseResult> {
    await this.#recorder.ready();
    const open = this.#recorder.findOpen(key);
    if (open === undefined) return { outcome: 'suppressed', incident: undefined, attempts: 0 };
    const incident = await this.#recorder.resolve(open.id, {
      resolution: `Alert ${alert.name} resolved at its source${alert.summary === '' ? '' : `: ${alert.summary}`}`,
      automated: true,
      by: alert.source ?? 'alert',
    });
    this.#recorded(recorded, incident, 'resolved');
    this.#tell({ alert, incident, outcome: 'auto_resolved', attempts: 0 });
    return { outcome: 'auto_resolved', incident, attempts: 0 };
  }

  #recorded(
    onRecorded: HandleAlertOptions['onRecorded'],
    incident: Incident,
    action: AlertRecorded['action'],
  ): void {
    if (onRecorded === undefined) return;
    try {
      onRecorded({ incident, action });
    } catch (error) {
      this.#onError(error, { source: 'responder', task: 'onRecorded' });
    }
  }

  #findRunbook(alert: Alert): PreparedRunbook | undefined {
    for (const prepared of this.#runbooks) {
      try {
        if (prepared.runbook.match(alert)) return prepared;
      } catch (error) {
        this.#onError(error, { source: `responder:${prepared.runbook.name}`, task: 'match' });
      }
    }
    return undefined;
  }

  async #escalation(
    alert: Alert,
    incident: Incident,
    diagnosis: Diagnosis,
    context: Omit<EscalationContext, 'alert'>,
  ): Promise<ResponseResult> {
    await this.#note(incident.id, `${ESCALATED} (${context.reason.replace('_', ' ')}): ${diagnosis.summary}`);
    const current = this.#recorder.get(incident.id) ?? incident;
    await this.#escalate(current, diagnosis, { alert, ...context });
    // Remembered after `escalate` succeeded: an escalation that threw did not reach anyone.
    this.#escalated.add(current.id);
    if (this.#escalated.size > MAX_REMEMBERED_ESCALATIONS)
      this.#escalated.delete(this.#escalated.values().next().value as string);
    this.#tell({
      alert,
      incident: current,
      outcome: 'escalated',
      attempts: context.attempts,
      ...(context.runbook === undefined ? {} : { runbook: context.runbook }),
      diagnosis,
    });
    return { outcome: 'escalated', incident: current, attempts: context.attempts };
  }

  // Runs one runbook step with its time limit on the injected clock. The timer is ref'd: the caller is
  // awaiting this step, so the process must not exit under it.
  #step<T>(prepared: PreparedRunbook, work: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    const controller = new AbortController();
    const closed = this.#closed.signal;
    return new Promise<T>((resolve, reject) => {
      const fail = (error: unknown): void => {
        cancel();
        closed.removeEventListener('abort', onClose);
        controller.abort(error);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the step's own error
        reject(error);
      };
      const onClose = (): void => fail(closed.reason);
      const cancel = this.#clock.schedule(
        prepared.timeoutMs,
        () =>
          fail(
            new TimeoutError(
              prepared.timeoutMs,
              `Runbook ${prepared.runbook.name} step timed out after ${prepared.timeoutMs} ms`,
            ),
          ),
        { ref: true },
      );
      if (closed.aborted) return fail(closed.reason);
      closed.addEventListener('abort', onClose, { once: true });
      Promise.resolve()
        .then(() => work(controller.signal))
        .then(
          (value) => {
            cancel();
            closed.removeEventListener('abort', onClose);
            resolve(value);
          },
          (error: unknown) => fail(error),
        );
    });
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const closed = this.#closed.signal;
      const done = (): void => {
        cancel();
        closed.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.#clock.schedule(ms, done, { ref: true });
      closed.addEventListener('abort', done, { once: true });
    });
  }

  async #note(id: string, text: string): Promise<void> {
    try {
      await this.#recorder.note(id, text, { by: 'responder' });
    } catch (error) {
      this.#onError(error, { source: 'responder', task: 'note' });
    }
  }

  #tell(notice: ResponseNotice): void {
    if (this.#notify === undefined) return;
    try {
      const result = this.#notify(notice);
      if (isThenable(result))
        result.then(undefined, (error: unknown) =>
          this.#onError(error, { source: 'responder', task: 'notify' }),
        );
    } catch (error) {
      this.#onError(error, { source: 'responder', task: 'notify' });
    }
  }
}

function checkDiagnosis(value: unknown): Diagnosis {
  if (typeof value === 'object' && value !== null && typeof (value as Diagnosis).summary === 'string') {
    return value as Diagnosis;
  }
  return { summary: typeof value === 'string' ? value : 'the runbook returned no diagnosis summary' };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
