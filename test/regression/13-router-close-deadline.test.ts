// Issue 13, item 20: AlertRouter.close() waited forever for a notifier that never settled. It is now
// bounded by `closeTimeoutMs`: past it the notifier's signal is aborted and the delivery is reported
// failed (the `failures` count, `deliveryFailed` and onInternalError), like any other failed delivery.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ErrorCode,
  createAlertRouter,
  isSreError,
  type AlertRouterEvents,
  type Notifier,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const alert = {
  name: 'HighErrorRate',
  severity: 'critical',
  service: 'api',
  summary: '5xx at 12%',
} as const;

/** A notifier whose deliveries never settle, whatever their signal says. */
function hung(): Notifier & { readonly signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  return {
    name: 'hung',
    signals,
    notify: (_notification, options) => {
      signals.push(options?.signal);
      return new Promise<never>(() => undefined);
    },
  };
}

/** A notifier that waits until its signal aborts, then rejects with the abort reason. */
function honoursSignal(): Notifier & { readonly reasons: unknown[] } {
  const reasons: unknown[] = [];
  return {
    name: 'honours-signal',
    reasons,
    notify: (_notification, options) =>
      new Promise<void>((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => {
          reasons.push(options.signal?.reason);
          reject(options.signal?.reason as Error);
        });
      }),
  };
}

function setup(notifiers: Notifier[], closeTimeoutMs?: number) {
  const clock = createFakeClock();
  const internal: unknown[] = [];
  const router = createAlertRouter(
    {
      routes: [{ name: 'pager', notifiers }],
      groupWaitMs: 0,
      ...(closeTimeoutMs === undefined ? {} : { closeTimeoutMs }),
    },
    { clock, onInternalError: (error) => internal.push(error) },
  );
  const failed: AlertRouterEvents['deliveryFailed'][] = [];
  router.on('deliveryFailed', (event) => void failed.push(event));
  return { clock, router, internal, failed };
}

async function closeAndTrack(router: ReturnType<typeof createAlertRouter>) {
  let closed = false;
  const closing = router.close().then(() => {
    closed = true;
  });
  await Promise.resolve();
  return { closing, isClosed: () => closed };
}

describe('regression #13 (20): AlertRouter.close() is bounded by closeTimeoutMs', () => {
  it('a hung notifier: close resolves at the default deadline (10 s), its signal aborted, the delivery failed', async () => {
    const notifier = hung();
    const { clock, router, internal, failed } = setup([notifier]);
    router.send(alert);
    await clock.advanceAsync(0);
    expect(notifier.signals).toHaveLength(1);
    const { closing, isClosed } = await closeAndTrack(router);
    await clock.advanceAsync(9_999);
    expect(isClosed()).toBe(false);
    await clock.advanceAsync(1);
    await closing;
    expect(isClosed()).toBe(true);
    expect(notifier.signals[0]?.aborted).toBe(true);
    expect(router.stats()).toMatchObject({ deliveries: 0, failures: 1 });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ receiver: 'pager', notifier: 'hung' });
    expect(isSreError(failed[0]?.error, ErrorCode.TIMEOUT)).toBe(true);
    expect(String((failed[0]?.error as Error).message)).toMatch(/closeTimeoutMs/);
    expect(internal).toEqual([failed[0]?.error]);
  });

  it('a notifier that honours its signal is aborted at closeTimeoutMs and counted failed once', async () => {
    const notifier = honoursSignal();
    const { clock, router, failed } = setup([notifier], 2_000);
    router.send(alert);
    await clock.advanceAsync(0);
    const { closing, isClosed } = await closeAndTrack(router);
    await clock.advanceAsync(2_000);
    await closing;
    expect(isClosed()).toBe(true);
    expect(notifier.reasons).toHaveLength(1);
    expect(isSreError(notifier.reasons[0], ErrorCode.TIMEOUT)).toBe(true);
    expect(router.stats().failures).toBe(1);
    expect(failed).toHaveLength(1);
  });

  it('deliveries that finish before the deadline are waited for and count as delivered', async () => {
    const clock = createFakeClock();
    let signal: AbortSignal | undefined;
    const slow: Notifier = {
      name: 'slow',
      notify: (_notification, options) => {
        signal = options?.signal;
        return new Promise((resolve) => clock.schedule(1_500, resolve));
      },
    };
    const router = createAlertRouter(
      { routes: [{ notifiers: [slow] }], groupWaitMs: 0, closeTimeoutMs: 5_000 },
      { clock },
    );
    router.send(alert);
    await clock.advanceAsync(0);
    const { closing, isClosed } = await closeAndTrack(router);
    await clock.advanceAsync(1_500);
    await closing;
    expect(isClosed()).toBe(true);
    expect(signal?.aborted).toBe(false);
    expect(router.stats()).toMatchObject({ deliveries: 1, failures: 0 });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '10s'])(
    'closeTimeoutMs %s is a ConfigError',
    (value) => {
      expect(() =>
        createAlertRouter({ routes: [{ notifiers: [hung()] }], closeTimeoutMs: value as number }),
      ).toThrow(ConfigError);
      expect(() =>
        createAlertRouter({ routes: [{ notifiers: [hung()] }], closeTimeoutMs: value as number }),
      ).toThrow(/closeTimeoutMs/);
    },
  );
});
