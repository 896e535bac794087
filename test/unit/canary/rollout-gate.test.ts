import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createCanaryJudge,
  createRolloutGate,
  type CanaryObservation,
  type RolloutGateOptions,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const MIN = 60_000;
const judge = createCanaryJudge({
  metrics: [{ name: 'errors', kind: 'error-rate', maxIncrease: 0.005, critical: true }],
  minRequests: 500,
});

/**
 * A service whose traffic (10,000 requests a minute) is split by the gate's weight; each arm fails at
 * its own rate. `observe` reads the cumulative counts, as a metrics query would.
 */
function service(canaryRate: (weight: number) => number, baselineRate = 0.001, perMinute = 10_000) {
  const clock = createFakeClock({ start: '2026-03-02T10:00:00Z' });
  const arms = { baseline: { requests: 0, errors: 0 }, canary: { requests: 0, errors: 0 } };
  const weights: number[] = [];
  let weight = 0;
  // Traffic flows minute by minute, just before each check.
  const flow = (): void => {
    const canary = Math.round((perMinute * weight) / 100);
    arms.canary.requests += canary;
    arms.canary.errors += Math.round(canary * canaryRate(weight));
    arms.baseline.requests += perMinute - canary;
    arms.baseline.errors += Math.round((perMinute - canary) * baselineRate);
  };
  const options: RolloutGateOptions = {
    judge,
    steps: [5, 25, 50, 100],
    intervalMs: MIN,
    consecutiveFailures: 2,
    observe: (): CanaryObservation => ({ baseline: { ...arms.baseline }, canary: { ...arms.canary } }),
    setWeight: (percent) => {
      weight = percent;
      weights.push(percent);
    },
  };
  return { clock, options, weights, flow, setPerMinute: (n: number) => (perMinute = n) };
}

async function drive(
  clock: ReturnType<typeof createFakeClock>,
  flow: () => void,
  minutes: number,
): Promise<void> {
  for (let m = 0; m < minutes; m++) {
    flow();
    await clock.advanceAsync(MIN);
  }
}

describe('createRolloutGate', () => {
  it('advances a healthy canary step by step to 100 %', async () => {
    const { clock, options, weights, flow } = service(() => 0.001);
    const gate = createRolloutGate(options, { clock });
    const advanced: string[] = [];
    gate.on('advanced', (e) => void advanced.push(`${e.from}→${e.to}`));
    const done = gate.start({ version: 'v2.3.1' });
    await drive(clock, flow, 120);
    const final = await done;
    expect(final).toMatchObject({ state: 'promoted', version: 'v2.3.1', weight: 100 });
    expect(weights).toEqual([5, 25, 50, 100]);
    expect(advanced).toEqual(['5→25', '25→50', '50→100']);
    expect(final.history.every((c) => c.verdict === 'pass' || c.verdict === 'inconclusive')).toBe(true);
    expect(clock.pendingCount).toBe(0);
    await gate.close();
  });

  it('rolls back after consecutive failing verdicts, not after one', async () => {
    const { clock, options, weights, flow } = service((w) => (w >= 25 ? 0.05 : 0.001));
    const gate = createRolloutGate(options, { clock });
    const done = gate.start();
    await drive(clock, flow, 120);
    const final = await done;
    expect(final.state).toBe('rolled_back');
    expect(final.reason).toMatch(/^2 failing verdicts in a row at 25 %: Fail: critical metric errors failed/);
    expect(weights).toEqual([5, 25, 0]);
    expect(final.history.at(-1)?.verdict).toBe('fail');
    expect(final.history.at(-2)?.verdict).toBe('fail');
    await gate.close();
  });

  it('never promotes a canary whose traffic vanished: it rolls back after maxChecksPerStep', async () => {
    const { clock, options, weights, flow, setPerMinute } = service(() => 0.001);
    setPerMinute(0);
    const gate = createRolloutGate({ ...options, maxChecksPerStep: 5 }, { clock });
    const done = gate.start();
    await drive(clock, flow, 10);
    const final = await done;
    expect(final.state).toBe('rolled_back');
    expect(final.reason).toMatch(/^no pass after 5 checks at 5 %: Inconclusive: the canary has no requests/);
    expect(weights).toEqual([5, 0]);
  });

  it('holds on a failed measurement and says so', async () => {
    const { clock, options, flow } = service(() => 0.001);
    let calls = 0;
    const gate = createRolloutGate(
      {
        ...options,
        observe: () => {
          calls++;
          if (calls === 2) throw new Error('prometheus unreachable');
          return options.observe();
        },
      },
      { clock },
    );
    void gate.start();
    await drive(clock, flow, 1);
    expect(gate.status().history[0]).toMatchObject({
      verdict: 'error',
      why: 'the arms could not be observed or judged: prometheus unreachable',
    });
    expect(gate.status().state).toBe('running');
    await gate.close();
  });

  it('status is a pure read; abort rolls back; close clears its timer and ends the run', async () => {
    const { clock, options, weights, flow } = service(() => 0.001);
    const gate = createRolloutGate(options, { clock });
    const done = gate.start();
    await drive(clock, flow, 2);
    const status = gate.status();
    expect(gate.status()).toBe(status);
    await expect(gate.start()).rejects.toThrow(/already running/);
    await gate.abort('manual stop');
    expect(await done).toMatchObject({ state: 'aborted', reason: 'manual stop', weight: 0 });
    expect(weights.at(-1)).toBe(0);

    const again = gate.start();
    await drive(clock, flow, 1);
    await gate.close();
    expect(await again).toMatchObject({ state: 'aborted' });
    expect((await again).reason).toMatch(/closed at 5 %; traffic was left as it is/);
    expect(clock.pendingCount).toBe(0);
    await expect(gate.start()).rejects.toThrow(/after close/);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    const { options } = service(() => 0);
    expect(() => createRolloutGate({ ...options, steps: [25, 5] })).toThrow(ConfigError);
    expect(() => createRolloutGate({ ...options, steps: [0] })).toThrow(/steps\[0\]/);
    expect(() => createRolloutGate({ ...options, intervalMs: 0 })).toThrow(/intervalMs/);
    expect(() => createRolloutGate({ ...options, setWeight: undefined as never })).toThrow(/setWeight/);
  });
});
