import {
  ErrorCode,
  SafeEmitter,
  SreError,
  parseOptions,
  resolveDeps,
  type CancelScheduled,
  type Clock,
  type Deps,
  type EventSource,
  type InternalErrorHandler,
} from '../core/index.js';
import type { CanaryObservation } from './observation.js';
import {
  rolloutGateOptionsSchema,
  type ParsedRolloutGateOptions,
  type RolloutGateOptions,
} from './rollout-options.js';
import type { CanaryVerdict } from './verdict.js';

/** Where a rollout is: not started, judging its steps, or ended one of three ways. */
export type RolloutState = 'idle' | 'running' | 'promoted' | 'rolled_back' | 'aborted';

/** One check of a rollout, as its history keeps it. */
export interface RolloutCheck {
  /** Wall time of the check, epoch ms. */
  readonly at: number;
  /** The canary's share of traffic when checked, percent. */
  readonly weight: number;
  /** The verdict, or `error` when the arms could not be observed or judged. */
  readonly verdict: CanaryVerdict['verdict'] | 'error';
  readonly score: number | null;
  /** The verdict's reason, or the error's message. */
  readonly why: string;
}

/** A rollout's state, as {@link RolloutGate.status} reports it. */
export interface RolloutStatus {
  readonly name: string;
  readonly state: RolloutState;
  /** What is being rolled out (from `start`), when given. */
  readonly version: string | undefined;
  /** The canary's share of traffic now, percent (0 after a rollback, 100 once promoted). */
  readonly weight: number;
  /** The step being judged (index into `steps`), or -1 before the first. */
  readonly step: number;
  /** Checks of the current step so far. */
  readonly checksThisStep: number;
  /** Failing verdicts in a row so far. */
  readonly consecutiveFailures: number;
  /** The latest verdict, while it is still the rollout's latest word. */
  readonly lastVerdict: CanaryVerdict | undefined;
  /** Why the rollout ended, once it has. */
  readonly reason: string | undefined;
  /** When it started and (once ended) ended, epoch ms. */
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
  /** The latest checks, oldest first (at most 100). */
  readonly history: readonly RolloutCheck[];
}

/** The events a {@link RolloutGate} emits. */
export type RolloutGateEvents = {
  /** A step was checked (or could not be). */
  checked: {
    readonly name: string;
    readonly check: RolloutCheck;
    readonly verdict: CanaryVerdict | undefined;
  };
  /** The canary moved to the next step's traffic share. */
  advanced: { readonly name: string; readonly from: number; readonly to: number };
  /** Every step passed: the canary has all traffic. */
  promoted: { readonly name: string; readonly status: RolloutStatus };
  /** The canary was rolled back (weight 0) or the rollout aborted; `reason` says why. */
  rolledBack: { readonly name: string; readonly reason: string; readonly status: RolloutStatus };
};

/** Drives a progressive rollout: each traffic step judged by a canary judge until it passes or fails. */
export interface RolloutGate extends EventSource<RolloutGateEvents> {
  readonly name: string;
  /**
   * Starts a rollout: routes the first step's share to the canary, then checks every `intervalMs`.
   * Resolves with the final status once it is promoted, rolled back or aborted.
   * @throws {SreError} `ERR_SRE_INVALID_INPUT` while another rollout of this gate runs; `ERR_SRE_CLOSED`
   *   after `close()`.
   */
  start(options?: { readonly version?: string }): Promise<RolloutStatus>;
  /** Rolls the running canary back now (weight 0) with `reason`; nothing when none runs. */
  abort(reason?: string): Promise<void>;
  /** The rollout's state. Reading it changes nothing. */
  status(): RolloutStatus;
  /**
   * Stops checking; a running rollout ends `aborted` with its traffic left as it is (the gate no
   * longer owns it). Idempotent.
   */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The status of a gate before (or, with its fields reset, at the start of) a rollout. */
function idleStatus(name: string): RolloutStatus {
  return {
    name,
    state: 'idle',
    version: undefined,
    weight: 0,
    step: -1,
    checksThisStep: 0,
    consecutiveFailures: 0,
    lastVerdict: undefined,
    reason: undefined,
    startedAt: undefined,
    endedAt: undefined,
    history: [],
  };
}

/** Checks a status keeps. */
const MAX_HISTORY = 100;

/**
 * Creates a rollout gate (Argo Rollouts' analysis, Flagger's steps): the canary gets `steps[0]` % of
 * traffic, and every `intervalMs` the judge compares what the step gained since it began. A `pass`
 * advances to the next step (after the last, the canary gets 100 %); `consecutiveFailures` failing
 * verdicts in a row roll it back; anything else holds the step, and `maxChecksPerStep` checks without a
 * pass roll it back too, so a canary whose traffic vanished is never promoted. Timers are unref'd and
 * cleared by `close()`.
 *
 * @example
 * ```ts
 * const gate = createRolloutGate({
 *   judge,
 *   steps: [5, 25, 50, 100],
 *   intervalMs: 60_000,
 *   consecutiveFailures: 2,
 *   observe: async () => ({ baseline: await readArm('stable'), canary: await readArm('canary') }),
 *   setWeight: (percent) => mesh.route('checkout', { canary: percent }),
 * });
 * const final = await gate.start({ version: 'v2.3.1' });
 * console.log(final.state, final.reason);
 * ```
 * @throws {ConfigError} when options are invalid (steps not increasing, a missing callback, ...).
 */
export function createRolloutGate(options: RolloutGateOptions, deps?: Deps): RolloutGate {
  const parsed = parseOptions(rolloutGateOptionsSchema, options, 'createRolloutGate');
  const { clock, onInternalError } = resolveDeps(deps);
  return new RolloutGateImpl(parsed, options, clock, onInternalError);
}

class RolloutGateImpl implements RolloutGate {
  readonly name: string;
  readonly #options: ParsedRolloutGateOptions;
  readonly #observe: RolloutGateOptions['observe'];
  readonly #setWeight: RolloutGateOptions['setWeight'];
  readonly #clock: Clock;
  readonly #events: SafeEmitter<RolloutGateEvents>;
  #status: RolloutStatus;
  #stepStart: CanaryObservation | undefined;
  #cancel: CancelScheduled | undefined;
  #finish: ((status: RolloutStatus) => void) | undefined;
  /** Bumped by every start, abort and close: a check begun under an older run drops its result. */
  #run = 0;
  #closed = false;

  constructor(
    options: ParsedRolloutGateOptions,
    raw: RolloutGateOptions,
    clock: Clock,
    onInternalError: InternalErrorHandler,
  ) {
    this.name = options.name;
    this.#options = options;
    // The caller's own functions, not zod's output.
    this.#observe = raw.observe;
    this.#setWeight = raw.setWeight;
    this.#clock = clock;
    this.#events = new SafeEmitter(`rollout:${options.name}`, onInternalError);
    this.#status = idleStatus(options.name);
  }

  on: RolloutGate['on'] = (event, listener) => this.#events.on(event, listener);
  once: RolloutGate['once'] = (event, listener) => this.#events.once(event, listener);
  off: RolloutGate['off'] = (event, listener) => this.#events.off(event, listener);

  status(): RolloutStatus {
    return this.#status;
  }

  start(options: { readonly version?: string } = {}): Promise<RolloutStatus> {
    if (this.#closed)
      return Promise.reject(new SreError(ErrorCode.CLOSED, `rollout ${this.name}: start() after close()`));
    if (this.#status.state === 'running')
      return Promise.reject(
        new SreError(
          ErrorCode.INVALID_INPUT,
          `rollout ${this.name} is already running (${this.#status.version ?? 'no version'})`,
        ),
      );
    const run = ++this.#run;
    this.#status = {
      ...idleStatus(this.name),
      state: 'running',
      version: options.version,
      startedAt: this.#clock.wallNow(),
    };
    const done = new Promise<RolloutStatus>((resolve) => (this.#finish = resolve));
    void this.#enterStep(run, 0);
    return done;
  }

  async abort(reason = 'aborted by the caller'): Promise<void> {
    if (this.#status.state !== 'running') return;
    await this.#rollBack(++this.#run, reason, 'aborted');
  }

  // Routes the step's share, takes the step's starting observation, and schedules its first check.
  async #enterStep(run: number, step: number): Promise<void> {
    const weight = this.#options.steps[step] as number;
    const from = this.#status.weight;
    try {
      await this.#setWeight(weight);
      if (run !== this.#run) return;
      this.#update({ step, weight, checksThisStep: 0, consecutiveFailures: 0, lastVerdict: undefined });
      if (from !== weight && step > 0 && this.#events.has('advanced'))
        this.#events.emit('advanced', { name: this.name, from, to: weight });
      if (weight >= 100)
        return this.#end(run, 'promoted', `every step passed; the canary has 100 % of traffic`);
      this.#stepStart = await this.#observe();
    } catch (error) {
      if (run !== this.#run) return;
      return this.#rollBack(run, `could not start the ${weight} % step: ${message(error)}`, 'aborted');
    }
    if (run === this.#run) this.#schedule(run);
  }

  #schedule(run: number): void {
    this.#cancel = this.#clock.schedule(this.#options.intervalMs, () => {
      this.#cancel = undefined;
      void this.#check(run);
    });
  }

  async #check(run: number): Promise<void> {
    if (run !== this.#run) return;
    let verdict: CanaryVerdict | undefined;
    let why: string;
    try {
      const observation = await this.#observe();
      if (run !== this.#run) return;
      verdict = this.#options.judge.evaluate(
        observation,
        this.#stepStart === undefined ? {} : { since: this.#stepStart },
      );
      why = verdict.why;
    } catch (error) {
      if (run !== this.#run) return;
      why = `the arms could not be observed or judged: ${message(error)}`;
    }
    const status = this.#status;
    const check: RolloutCheck = {
      at: this.#clock.wallNow(),
      weight: status.weight,
      verdict: verdict?.verdict ?? 'error',
      score: verdict?.score ?? null,
      why,
    };
    const failures = verdict?.verdict === 'fail' ? status.consecutiveFailures + 1 : 0;
    const checks = status.checksThisStep + 1;
    this.#update({
      checksThisStep: checks,
      consecutiveFailures: failures,
      lastVerdict: verdict ?? status.lastVerdict,
      history: Object.freeze([...status.history.slice(-(MAX_HISTORY - 1)), Object.freeze(check)]),
    });
    if (this.#events.has('checked')) this.#events.emit('checked', { name: this.name, check, verdict });
    const { consecutiveFailures, maxChecksPerStep, steps } = this.#options;
    if (failures >= consecutiveFailures)
      return this.#rollBack(
        run,
        `${failures} failing verdicts in a row at ${status.weight} %: ${why}`,
        'rolled_back',
      );
    if (verdict?.verdict === 'pass') {
      const next = status.step + 1;
      if (next < steps.length) return this.#enterStep(run, next);
      const from = status.weight;
      try {
        await this.#setWeight(100);
      } catch (error) {
        if (run !== this.#run) return;
        return this.#rollBack(run, `could not promote: ${message(error)}`, 'aborted');
      }
      if (run !== this.#run) return;
      this.#update({ weight: 100 });
      if (this.#events.has('advanced')) this.#events.emit('advanced', { name: this.name, from, to: 100 });
      return this.#end(run, 'promoted', `every step passed; the canary has 100 % of traffic`);
    }
    if (checks >= maxChecksPerStep)
      return this.#rollBack(
        run,
        `no pass after ${checks} checks at ${status.weight} %: ${why}`,
        'rolled_back',
      );
    this.#schedule(run);
  }

  async #rollBack(run: number, reason: string, state: 'rolled_back' | 'aborted'): Promise<void> {
    this.#cancel?.();
    this.#cancel = undefined;
    let why = reason;
    try {
      await this.#setWeight(0);
      this.#update({ weight: 0 });
    } catch (error) {
      why = `${reason} (and routing traffic back failed: ${message(error)})`;
    }
    this.#end(run, state, why);
  }

  #end(run: number, state: 'promoted' | 'rolled_back' | 'aborted', reason: string): void {
    if (run !== this.#run || this.#status.state !== 'running') return;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#update({ state, reason, endedAt: this.#clock.wallNow() });
    const status = this.#status;
    if (state === 'promoted') {
      if (this.#events.has('promoted')) this.#events.emit('promoted', { name: this.name, status });
    } else if (this.#events.has('rolledBack')) {
      this.#events.emit('rolledBack', { name: this.name, reason, status });
    }
    const finish = this.#finish;
    this.#finish = undefined;
    finish?.(status);
  }

  #update(changes: Partial<RolloutStatus>): void {
    this.#status = Object.freeze({ ...this.#status, ...changes });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.#status.state === 'running') {
      const run = ++this.#run;
      this.#end(run, 'aborted', `the gate was closed at ${this.#status.weight} %; traffic was left as it is`);
    }
    this.#cancel?.();
    this.#cancel = undefined;
    this.#events.clear();
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
