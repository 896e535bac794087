import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  createAlertRouter,
  logNotifier,
  type Alert,
  type Notification,
  type Notifier,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

function recorder(name = 'rec'): Notifier & { sent: Notification[] } {
  const sent: Notification[] = [];
  return {
    name,
    sent,
    notify(notification) {
      sent.push(notification);
      return Promise.resolve();
    },
  };
}

const alert = (over: Partial<Alert> = {}): Alert => ({
  name: 'HighErrorRate',
  severity: 'critical',
  service: 'api',
  summary: '5xx at 12%',
  labels: { instance: 'a' },
  ...over,
});

const statusOf = (n: Notification) => n.alerts.map((a) => `${a.labels?.instance}:${a.status}`);

describe('createAlertRouter', () => {
  it('routes by matchers, first match wins unless continue', async () => {
    const clock = createFakeClock();
    const pager = recorder('pager');
    const chat = recorder('chat');
    const log = recorder('log');
    const router = createAlertRouter(
      {
        routes: [
          { name: 'page', matchers: ['severity="critical"'], notifiers: [pager], continue: true },
          { name: 'chat', matchers: ['severity=~"critical|warning"', 'service!="batch"'], notifiers: [chat] },
          { name: 'log', notifiers: [log] },
        ],
        groupWaitMs: 1_000,
      },
      { clock },
    );
    router.send(alert());
    router.send(alert({ name: 'Slow', severity: 'warning', service: 'batch' }));
    router.send(alert({ name: 'Note', severity: 'info' }));
    await clock.advanceAsync(1_000);
    expect(pager.sent.map((n) => n.alerts.map((a) => a.name))).toEqual([['HighErrorRate']]);
    expect(chat.sent.map((n) => n.alerts.map((a) => a.name))).toEqual([['HighErrorRate']]);
    expect(log.sent.map((n) => n.alerts[0]!.name).sort()).toEqual(['Note', 'Slow']);
    expect(pager.sent[0]).toMatchObject({
      receiver: 'page',
      status: 'firing',
      groupLabels: { alertname: 'HighErrorRate', service: 'api' },
      groupKey: 'page:{alertname="HighErrorRate",service="api"}',
    });
    await router.close();
    expect(clock.pendingCount).toBe(0);
    // The caller's notifier objects are used as given, never frozen or copied.
    expect(Object.isFrozen(pager)).toBe(false);
  });

  it('groups alerts arriving within groupWait into one notification, then sends changes at groupInterval', async () => {
    const clock = createFakeClock();
    const n = recorder();
    const router = createAlertRouter(
      {
        routes: [{ notifiers: [n] }],
        groupWaitMs: 10_000,
        groupIntervalMs: 60_000,
        repeatIntervalMs: 3_600_000,
      },
      { clock },
    );
    router.send(alert({ labels: { instance: 'a' } }));
    await clock.advanceAsync(5_000);
    router.send(alert({ labels: { instance: 'b' } }));
    router.send(alert({ labels: { instance: 'a' } })); // duplicate: deduplicated
    await clock.advanceAsync(5_000);
    expect(n.sent).toHaveLength(1);
    expect(statusOf(n.sent[0]!)).toEqual(['a:firing', 'b:firing']);
    router.send(alert({ labels: { instance: 'c' } }));
    await clock.advanceAsync(59_999);
    expect(n.sent).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(n.sent).toHaveLength(2);
    expect(statusOf(n.sent[1]!)).toEqual(['a:firing', 'b:firing', 'c:firing']);
    // Nothing new: nothing sent until the repeat interval.
    await clock.advanceAsync(60_000 * 10);
    expect(n.sent).toHaveLength(2);
    await router.close();
  });

  it('repeats unchanged firing alerts after repeatInterval', async () => {
    const clock = createFakeClock();
    const n = recorder();
    const router = createAlertRouter(
      { routes: [{ notifiers: [n] }], groupWaitMs: 0, groupIntervalMs: 60_000, repeatIntervalMs: 300_000 },
      { clock },
    );
    router.send(alert());
    await clock.advanceAsync(0);
    expect(n.sent).toHaveLength(1);
    await clock.advanceAsync(240_000);
    expect(n.sent).toHaveLength(1);
    await clock.advanceAsync(60_000);
    expect(n.sent).toHaveLength(2);
    await router.close();
  });

  it('sends each resolved notice once, then forgets the group', async () => {
    const clock = createFakeClock();
    const n = recorder();
    const router = createAlertRouter(
      { routes: [{ notifiers: [n] }], groupWaitMs: 1_000, groupIntervalMs: 10_000 },
      { clock },
    );
    router.send(alert({ labels: { instance: 'a' } }));
    router.send(alert({ labels: { instance: 'b' } }));
    await clock.advanceAsync(1_000);
    router.send(alert({ labels: { instance: 'a' }, status: 'resolved' }));
    await clock.advanceAsync(10_000);
    expect(n.sent.map(statusOf)).toEqual([
      ['a:firing', 'b:firing'],
      ['b:firing', 'a:resolved'],
    ]);
    router.send(alert({ labels: { instance: 'b' }, status: 'resolved' }));
    await clock.advanceAsync(50_000);
    expect(n.sent.map(statusOf).slice(2)).toEqual([['b:resolved']]);
    expect(n.sent[2]!.status).toBe('resolved');
    expect(router.stats().groups).toBe(0);
    expect(clock.pendingCount).toBe(0);
    await router.close();
  });

  it('an alert that fires and resolves within groupWait is never notified', async () => {
    const clock = createFakeClock();
    const n = recorder();
    const router = createAlertRouter({ routes: [{ notifiers: [n] }], groupWaitMs: 1_000 }, { clock });
    router.send(alert());
    router.send(alert({ status: 'resolved' }));
    await clock.advanceAsync(10_000);
    expect(n.sent).toHaveLength(0);
    expect(router.stats().groups).toBe(0);
  });

  it('a failing notifier never blocks the others, and is retried at the next interval', async () => {
    const clock = createFakeClock();
    const good = recorder('good');
    let calls = 0;
    const flaky: Notifier = {
      name: 'flaky',
      notify: () => (++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve()),
    };
    const hung: Notifier = { name: 'hung', notify: () => new Promise(() => {}) };
    const thrower: Notifier = {
      name: 'thrower',
      notify: () => {
        throw new Error('sync');
      },
    };
    const onInternalError = vi.fn();
    const router = createAlertRouter(
      { routes: [{ notifiers: [hung, thrower, flaky, good] }], groupWaitMs: 0, groupIntervalMs: 1_000 },
      { clock, onInternalError },
    );
    const failed = vi.fn();
    router.on('deliveryFailed', failed);
    router.send(alert());
    await clock.advanceAsync(0);
    expect(good.sent).toHaveLength(1);
    expect(failed.mock.calls.map((c) => c[0].notifier).sort()).toEqual(['flaky', 'thrower']);
    await clock.advanceAsync(1_000);
    expect(calls).toBe(2);
    expect(good.sent).toHaveLength(1);
    expect(router.stats()).toMatchObject({ received: 1, failures: 3, deliveries: 2 });
  });

  it('groupBy ["..."] makes one group per label set; caps drop and count', async () => {
    const clock = createFakeClock();
    const n = recorder();
    const router = createAlertRouter(
      { routes: [{ notifiers: [n], groupBy: ['...'] }], groupWaitMs: 0, maxGroups: 2 },
      { clock },
    );
    for (const instance of ['a', 'b', 'c']) router.send(alert({ labels: { instance } }));
    router.send({ name: 'x' } as never);
    await clock.advanceAsync(0);
    expect(n.sent).toHaveLength(2);
    expect(router.stats()).toMatchObject({ received: 3, dropped: 1, invalid: 1, groups: 2 });
    await router.close();
  });

  it('flush() sends pending groups at once; unrouted alerts are counted', async () => {
    const clock = createFakeClock();
    const n = recorder();
    const router = createAlertRouter(
      { routes: [{ matchers: ['service="api"'], notifiers: [n] }], groupWaitMs: 60_000 },
      { clock },
    );
    router.send(alert());
    router.send(alert({ service: 'web' }));
    await router.flush();
    expect(n.sent).toHaveLength(1);
    expect(router.stats().unrouted).toBe(1);
    await router.close();
    await router.close();
    router.send(alert());
    expect(router.stats().received).toBe(2);
  });

  it('logNotifier writes one line per alert at a level by severity', async () => {
    const clock = createFakeClock();
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const router = createAlertRouter(
      { routes: [{ notifiers: [logNotifier(logger)] }], groupWaitMs: 0 },
      { clock },
    );
    router.send(alert());
    router.send(alert({ name: 'W', severity: 'warning' }));
    router.send(alert({ name: 'I', severity: 'info' }));
    await router.flush();
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ alert: 'HighErrorRate', status: 'firing' }),
      '[FIRING] HighErrorRate: 5xx at 12%',
    );
    expect(logger.warn).toHaveBeenCalledOnce();
    expect(logger.info).toHaveBeenCalledOnce();
    await router.close();
  });

  it('rejects bad options naming the field', () => {
    const n = recorder();
    expect(() => createAlertRouter({ routes: [{ notifiers: [n], matchers: ['1sev="x"'] }] })).toThrow(
      /routes\[0\]\.matchers\[0\]/,
    );
    expect(() => createAlertRouter({ routes: [{ notifiers: [n], matchers: ['a=~"("'] }] })).toThrow(
      ConfigError,
    );
    expect(() => createAlertRouter({ routes: [] })).toThrow(/routes/);
    expect(() => createAlertRouter({ routes: [{ notifiers: [{} as never] }] })).toThrow(/notifiers\[0\]/);
  });
});
