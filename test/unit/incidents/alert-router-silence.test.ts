import { describe, expect, it } from 'vitest';
import {
  createAlertRouter,
  type Alert,
  type AlertRouterEvents,
  type AlertSilencer,
  type Notification,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const alert = (name: string, status: 'firing' | 'resolved' = 'firing'): Alert => ({
  name,
  severity: 'critical',
  service: 'checkout',
  summary: name,
  status,
});

function setup(silencer: AlertSilencer, options: { maxSilenced?: number } = {}) {
  const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
  const delivered: Notification[] = [];
  const errors: unknown[] = [];
  const router = createAlertRouter(
    {
      routes: [
        {
          notifiers: [
            {
              name: 'log',
              notify: (n) => {
                delivered.push(n);
                return Promise.resolve();
              },
            },
          ],
        },
      ],
      groupWaitMs: 0,
      silencer,
      ...options,
    },
    { clock, onInternalError: (error) => errors.push(error) },
  );
  const received: AlertRouterEvents['received'][] = [];
  router.on('received', (event) => void received.push(event));
  return { clock, router, delivered, errors, received };
}

let silencing = true;
const window = { window: { id: 'w', title: 'Maintenance' }, endsAt: Date.parse('2026-06-01T01:00:00Z') };
const calendarLike: AlertSilencer = {
  silencing: (a) => (silencing && a.name !== 'Other' ? window : undefined),
};

describe('alert router silencer', () => {
  it('records a silenced alert and never delivers it or its resolution', async () => {
    silencing = true;
    const t = setup(calendarLike);
    t.router.send(alert('DbDown'));
    t.router.send(alert('DbDown'));
    t.router.send(alert('Other'));
    await t.router.flush();
    expect(t.delivered.flatMap((n) => n.alerts.map((a) => a.name))).toEqual(['Other']);
    expect(t.router.stats()).toMatchObject({ received: 3, silenced: 2 });
    const [held] = t.router.silenced();
    expect(held).toMatchObject({
      silencedBy: { id: 'w', title: 'Maintenance' },
      silenceEndsAt: window.endsAt,
    });
    expect(t.received.map((r) => [r.alert.name, r.silencedBy])).toEqual([
      ['DbDown', 'w'],
      ['DbDown', 'w'],
      ['Other', null],
    ]);
    t.router.send(alert('DbDown', 'resolved'));
    await t.router.flush();
    expect(t.router.silenced()).toEqual([]);
    expect(t.delivered).toHaveLength(1);
    await t.router.close();
  });

  it('does not silence an alert a notifier already heard fire, so its resolution reaches them', async () => {
    silencing = false;
    const t = setup(calendarLike);
    t.router.send(alert('DbDown'));
    await t.router.flush();
    silencing = true;
    t.router.send(alert('DbDown', 'resolved'));
    await t.router.flush();
    expect(t.delivered.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(t.router.stats().silenced).toBe(0);
    await t.router.close();
  });

  it('delivers an alert sent again once its silence is over', async () => {
    silencing = true;
    const t = setup(calendarLike);
    t.router.send(alert('DbDown'));
    silencing = false;
    t.router.send(alert('DbDown'));
    await t.router.flush();
    expect(t.delivered).toHaveLength(1);
    expect(t.router.silenced()).toEqual([]);
    await t.router.close();
  });

  it('delivers when the silencer throws, and reports it', async () => {
    const t = setup({
      silencing: () => {
        throw new Error('calendar broke');
      },
    });
    t.router.send(alert('DbDown'));
    await t.router.flush();
    expect(t.delivered).toHaveLength(1);
    expect(t.errors).toHaveLength(1);
    await t.router.close();
  });

  it('remembers at most maxSilenced alerts, and still silences and counts the rest', async () => {
    silencing = true;
    const t = setup(calendarLike, { maxSilenced: 2 });
    for (const name of ['A', 'B', 'C']) t.router.send(alert(name));
    await t.router.flush();
    expect(t.router.silenced().map((s) => s.alert.name)).toEqual(['A', 'B']);
    expect(t.router.stats().silenced).toBe(3);
    expect(t.delivered).toEqual([]);
    await t.router.close();
  });
});
