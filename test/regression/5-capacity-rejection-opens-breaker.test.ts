// Issue 5: opossum counts its own capacity (semaphore) rejections as failures, so load alone opens
// the breaker. Ours never counts its own rejections (bulkhead full, open circuit, budget exhausted).
import OpossumCircuitBreaker from 'opossum';
import { describe, expect, it } from 'vitest';
import { BulkheadFullError, compose, createBulkhead, createCircuitBreaker } from 'sre-kit';

const hang = () => new Promise<string>(() => {});

describe('regression #5: a capacity rejection is not a downstream failure', () => {
  it('plain opossum opens when its capacity is full, though the downstream never failed', async () => {
    const breaker = new OpossumCircuitBreaker(hang, {
      capacity: 1,
      errorThresholdPercentage: 50,
      timeout: false,
    });
    void breaker.fire();
    const rejections = await Promise.all(
      [breaker.fire(), breaker.fire()].map((p) => p.catch((e: Error) => e)),
    );
    expect(rejections.map((e) => (e as { code?: string }).code)).toEqual(['ESEMLOCKED', 'ESEMLOCKED']);
    expect(breaker.opened).toBe(true);
    breaker.shutdown();
  });

  it('ours stays closed when the bulkhead behind it is full', async () => {
    const breaker = createCircuitBreaker({
      name: 'db',
      failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 1 },
    });
    const policy = compose(breaker, createBulkhead({ maxConcurrent: 1 }));
    void policy.execute(hang);
    const rejections = await Promise.all(
      [policy.execute(hang), policy.execute(hang)].map((p) => p.catch((e: Error) => e)),
    );
    expect(rejections.every((e) => e instanceof BulkheadFullError)).toBe(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ failures: 0, ignored: 2 });
  });
});
