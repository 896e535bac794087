import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  compose,
  createCircuitBreaker,
  createRetryPolicy,
  createTimeout,
  type ExecuteContext,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

// A real HTTP server whose next answers are scripted per test: 'hang' never answers (until the client
// goes away), a number answers with that status, optionally with a Retry-After.
type Step = 'hang' | { status: number; retryAfter?: string };
let script: Step[] = [];
let requests = 0;
let abandoned = 0;
let server: Server;
let base: string;

function handle(req: IncomingMessage, res: ServerResponse): void {
  requests++;
  const step = script.shift() ?? { status: 200 };
  if (step === 'hang') {
    res.on('close', () => {
      if (!res.writableEnded) abandoned++;
    });
    return;
  }
  res.writeHead(step.status, step.retryAfter === undefined ? {} : { 'retry-after': step.retryAfter });
  res.end(step.status === 200 ? '{"price":42}' : 'unavailable');
  void req;
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  script = [];
  requests = 0;
  abandoned = 0;
});

// What users write: pass the signal to fetch, throw on HTTP errors with the response attached.
async function getPrice({ signal }: ExecuteContext): Promise<unknown> {
  const response = await fetch(`${base}/price`, { signal });
  if (!response.ok) {
    await response.body?.cancel();
    throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status, response });
  }
  return response.json();
}

const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('resilience against a real HTTP server', () => {
  it('a per-attempt timeout aborts the real request, and the retry gets the answer', async () => {
    script = ['hang', { status: 200 }];
    const policy = compose(
      createRetryPolicy({ retries: 2, minDelayMs: 1, maxDelayMs: 5 }),
      createCircuitBreaker({ name: 'prices' }),
      createTimeout(200),
    );
    await expect(policy.execute(getPrice)).resolves.toEqual({ price: 42 });
    expect(requests).toBe(2);
    await until(() => abandoned === 1);
    expect(abandoned).toBe(1); // the server saw the hung request's connection go away
  });

  it('waits the Retry-After of a real 503 (on the injected clock), then succeeds', async () => {
    script = [{ status: 503, retryAfter: '3' }, { status: 200 }];
    const clock = createFakeClock();
    const retry = createRetryPolicy({ retries: 1, minDelayMs: 10 }, { clock });
    const call = retry.execute(getPrice);
    await until(() => clock.pendingCount === 1);
    expect(clock.timers()).toEqual([{ dueAt: 3_000, ref: true }]);
    expect(requests).toBe(1);
    await clock.advanceAsync(3_000);
    await expect(call).resolves.toEqual({ price: 42 });
    expect(requests).toBe(2);
  });

  it('an open breaker stops requests from reaching the server', async () => {
    script = Array.from({ length: 3 }, () => ({ status: 500 }));
    const breaker = createCircuitBreaker({
      name: 'prices',
      failureThreshold: { kind: 'consecutive', count: 3 },
    });
    for (let i = 0; i < 3; i++) await expect(breaker.execute(getPrice)).rejects.toThrow('HTTP 500');
    for (let i = 0; i < 5; i++)
      await expect(breaker.execute(getPrice)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(requests).toBe(3);
    breaker.close();
  });

  it("the caller's abort cancels the real request at once", async () => {
    script = ['hang'];
    const controller = new AbortController();
    const call = compose(createRetryPolicy(), createCircuitBreaker({ name: 'prices' })).execute(getPrice, {
      signal: controller.signal,
    });
    await until(() => requests === 1);
    controller.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    await until(() => abandoned === 1);
    expect(abandoned).toBe(1);
    expect(requests).toBe(1);
  });
});
