import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  TimeoutError,
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  type IsolationHandle,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// A model-based test of the breaker's state machine: random calls (successes, failures, ignored
// errors, each taking a random time so some are slow or time out), time advances, isolate/release and
// reset, checked after every step against a small model written from the documented rules.

const SLICES = 10;

interface Config {
  readonly threshold:
    | { kind: 'consecutive'; count: number }
    | { kind: 'rate'; ratio: number; minimumCalls: number; windowMs: number };
  readonly slowCall: false | { thresholdMs: number; ratio: number; minimumCalls: number; windowMs: number };
  readonly openMs: number;
  readonly halfOpenProbes: number;
  readonly timeoutMs: number | false;
}

/** A sliding window as documented: 10 slices aligned to zero, the current slice and the 9 before it. */
class ModelWindow {
  events: Array<{ t: number; bad: boolean }> = [];
  constructor(readonly windowMs: number) {}
  add(t: number, bad: boolean): void {
    this.events.push({ t, bad });
  }
  count(now: number): { calls: number; bad: number } {
    const slice = this.windowMs / SLICES;
    const oldest = Math.floor(now / slice) - (SLICES - 1);
    const live = this.events.filter((e) => Math.floor(e.t / slice) >= oldest);
    return { calls: live.length, bad: live.filter((e) => e.bad).length };
  }
  clear(): void {
    this.events = [];
  }
}

class Model {
  state: CircuitState = 'closed';
  openedAt = 0;
  consecutive = 0;
  probesSucceeded = 0;
  epoch = 0;
  liveHandles = 0;
  readonly rate: ModelWindow | undefined;
  readonly slow: ModelWindow | undefined;

  constructor(readonly config: Config) {
    this.rate = config.threshold.kind === 'rate' ? new ModelWindow(config.threshold.windowMs) : undefined;
    this.slow = config.slowCall === false ? undefined : new ModelWindow(config.slowCall.windowMs);
  }

  at(now: number): CircuitState {
    if (this.state === 'open' && now >= this.openedAt + this.config.openMs) {
      this.state = 'halfOpen';
      this.probesSucceeded = 0;
    }
    return this.state;
  }

  clearCounts(): void {
    this.consecutive = 0;
    this.rate?.clear();
    this.slow?.clear();
  }

  open(now: number): void {
    this.state = 'open';
    this.openedAt = now;
  }

  close(): void {
    this.clearCounts();
    this.state = 'closed';
  }

  // A call of the closed circuit counts in both windows, and both thresholds are checked after every
  // call, good or bad, once the window holds minimumCalls (issue 13, item 16).
  recordClosedCall(now: number, failed: boolean, slow: boolean): void {
    const threshold = this.config.threshold;
    if (threshold.kind === 'rate' && this.rate !== undefined) {
      this.rate.add(now, failed);
      const { calls, bad } = this.rate.count(now);
      if (calls >= threshold.minimumCalls && bad / calls >= threshold.ratio) {
        this.open(now);
        return;
      }
    }
    const config = this.config.slowCall;
    if (config === false || this.slow === undefined) return;
    this.slow.add(now, slow);
    const { calls, bad } = this.slow.count(now);
    if (calls >= config.minimumCalls && bad / calls >= config.ratio) this.open(now);
  }
}

interface Real {
  readonly clock: FakeClock;
  readonly breaker: CircuitBreaker;
  readonly handles: IsolationHandle[];
}

type Outcome = 'success' | 'failure' | 'ignored';

// Every step runs its action, then checks the breaker against the model.
abstract class Step implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  abstract act(model: Model, real: Real): Promise<void>;
  async run(model: Model, real: Real): Promise<void> {
    await this.act(model, real);
    const now = real.clock.now();
    expect(real.breaker.state, `after ${this.toString()}`).toBe(model.at(now));
    const stats = real.breaker.stats();
    expect(stats.consecutiveFailures).toBe(model.consecutive);
    if (model.rate !== undefined) {
      const { calls, bad } = model.rate.count(now);
      expect(stats.failureWindow).toMatchObject({ calls, failures: bad });
    }
    if (model.slow !== undefined) {
      const { calls, bad } = model.slow.count(now);
      expect(stats.slowCallWindow).toMatchObject({ calls, slowCalls: bad });
    }
  }
  abstract toString(): string;
}

class CallCommand extends Step {
  constructor(
    readonly outcome: Outcome,
    readonly durationMs: number,
  ) {
    super();
  }
  async act(model: Model, real: Real): Promise<void> {
    const { clock, breaker } = real;
    const t0 = clock.now();
    const state = model.at(t0);
    const failure = Object.assign(new Error('downstream'), { ignored: this.outcome === 'ignored' });
    const result = await breaker
      .execute(() => {
        clock.advance(this.durationMs);
        return this.outcome === 'success' ? Promise.resolve('ok') : Promise.reject(failure);
      })
      .then(
        (value) => value,
        (error: unknown) => error,
      );
    const t1 = clock.now();
    if (state === 'open' || state === 'isolated') {
      expect(result).toBeInstanceOf(CircuitOpenError);
      expect(t1).toBe(t0);
      return;
    }
    const config = model.config;
    const timedOut = config.timeoutMs !== false && this.durationMs >= config.timeoutMs;
    const kind: Outcome = timedOut ? 'failure' : this.outcome;
    const slow = config.slowCall !== false && this.durationMs >= config.slowCall.thresholdMs;
    if (timedOut) expect(result).toBeInstanceOf(TimeoutError);
    else if (kind === 'success') expect(result).toBe('ok');
    else expect(result).toBe(failure);

    if (kind === 'ignored') return;
    if (state === 'halfOpen') {
      if (kind === 'failure' || slow) {
        model.open(t1);
      } else if (++model.probesSucceeded >= config.halfOpenProbes) {
        model.close();
      }
      return;
    }
    // closed
    if (kind === 'success') {
      model.consecutive = 0;
      model.recordClosedCall(t1, false, slow);
      return;
    }
    model.consecutive++;
    const threshold = config.threshold;
    if (threshold.kind === 'consecutive' && model.consecutive >= threshold.count) model.open(t1);
    else model.recordClosedCall(t1, true, slow);
  }
  override toString(): string {
    return `call(${this.outcome}, ${this.durationMs}ms)`;
  }
}

class AdvanceCommand extends Step {
  constructor(readonly ms: number) {
    super();
  }
  async act(_model: Model, real: Real): Promise<void> {
    await real.clock.advanceAsync(this.ms);
  }
  override toString(): string {
    return `advance(${this.ms})`;
  }
}

class IsolateCommand extends Step {
  async act(model: Model, real: Real): Promise<void> {
    model.at(real.clock.now());
    real.handles.push(real.breaker.isolate());
    model.liveHandles++;
    model.state = 'isolated';
    model.probesSucceeded = 0;
    await Promise.resolve();
  }
  override toString(): string {
    return 'isolate';
  }
}

// Releases the oldest handle still held by the test (it may be stale after a reset, then a no-op).
class ReleaseCommand extends Step {
  async act(model: Model, real: Real): Promise<void> {
    const handle = real.handles.shift();
    if (handle === undefined) return;
    handle.release();
    handle.release(); // twice: the second must do nothing
    if (!staleHandles.has(handle)) {
      model.liveHandles--;
      if (model.liveHandles === 0 && model.state === 'isolated') model.close();
    }
    await Promise.resolve();
  }
  override toString(): string {
    return 'release';
  }
}

// Handles issued before a reset: releasing them must change nothing.
const staleHandles = new WeakSet<IsolationHandle>();

class ResetCommand extends Step {
  async act(model: Model, real: Real): Promise<void> {
    for (const handle of real.handles) staleHandles.add(handle);
    real.breaker.reset();
    model.liveHandles = 0;
    model.close();
    await Promise.resolve();
  }
  override toString(): string {
    return 'reset';
  }
}

const configArb: fc.Arbitrary<Config> = fc.record({
  threshold: fc.oneof(
    fc.record({ kind: fc.constant('consecutive' as const), count: fc.integer({ min: 1, max: 4 }) }),
    fc.record({
      kind: fc.constant('rate' as const),
      ratio: fc.constantFrom(0.25, 0.5, 0.75, 1),
      minimumCalls: fc.integer({ min: 1, max: 5 }),
      windowMs: fc.constantFrom(1_000, 2_500, 5_000),
    }),
  ),
  slowCall: fc.oneof(
    fc.constant(false as const),
    fc.record({
      thresholdMs: fc.constantFrom(100, 300),
      ratio: fc.constantFrom(0.5, 1),
      minimumCalls: fc.integer({ min: 1, max: 4 }),
      windowMs: fc.constantFrom(1_000, 3_000),
    }),
  ),
  openMs: fc.constantFrom(200, 1_000, 2_000),
  halfOpenProbes: fc.integer({ min: 1, max: 3 }),
  timeoutMs: fc.constantFrom(false as const, 250, 800),
});

const commandsArb = fc.commands(
  [
    fc
      .tuple(
        fc.constantFrom<Outcome>('success', 'success', 'failure', 'ignored'),
        // around every slow threshold (100, 300) and timeout (250, 800): below, at and above
        fc.constantFrom(0, 10, 99, 100, 150, 250, 300, 400, 800, 900),
      )
      .map(([outcome, ms]) => new CallCommand(outcome, ms)),
    fc.constantFrom(50, 199, 200, 300, 1_000, 3_000).map((ms) => new AdvanceCommand(ms)),
    fc.constant(new IsolateCommand()),
    fc.constant(new ReleaseCommand()),
    fc.constant(new ResetCommand()),
  ],
  // size 'max': the default ('small') draws about 5 commands, one call per run on average, too few to
  // fill a window to minimumCalls.
  { maxCommands: 60, size: 'max' },
);

describe('circuit breaker state machine (model-based)', () => {
  it('matches the model after every step', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, commandsArb, async (config, commands) => {
        const clock = createFakeClock();
        const options: CircuitBreakerOptions = {
          name: 'model',
          failureThreshold: config.threshold,
          slowCall: config.slowCall,
          openMs: config.openMs,
          halfOpenProbes: config.halfOpenProbes,
          timeoutMs: config.timeoutMs,
          isFailure: (error) => (error as { ignored?: boolean }).ignored !== true,
        };
        const breaker = createCircuitBreaker(options, { clock });
        const model = new Model(config);
        const real: Real = { clock, breaker, handles: [] };
        await fc.asyncModelRun(() => ({ model, real }), commands);
        breaker.close();
      }),
      { numRuns: 300 },
    );
  });
});
