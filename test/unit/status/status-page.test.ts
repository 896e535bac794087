import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createCircuitBreaker,
  createMonitor,
  trackDependency,
  createStatusPage,
  isSreError,
  statusSummarySchema,
  type StatusPage,
  type StatusSummary,
} from 'sre-kit';
import {
  INTERNAL_MARKERS,
  PAGE_OPTIONS,
  statusFixture,
  type StatusFixture,
} from '../../helpers/status-monitor.js';
import { createFakeClock } from 'sre-kit/testing';

let dir: string;
let fixture: StatusFixture;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-status-page-'));
  fixture = await statusFixture(dir);
});
afterEach(async () => {
  await fixture.close();
  await rm(dir, { recursive: true, force: true });
});

function get(page: StatusPage, path: string, extra: { metric?: string; ifNoneMatch?: string } = {}) {
  const answer = page.answer({ method: 'GET', path, ...extra });
  if (answer === undefined) throw new Error(`${path} not answered`);
  return answer;
}

function summary(page: StatusPage): StatusSummary {
  const answer = get(page, '/status/summary.json');
  expect(answer.status).toBe(200);
  // Every state a test reaches is checked against the schema, strictly.
  return statusSummarySchema.parse(JSON.parse(answer.body));
}

describe('the status page of a monitor in a known state', () => {
  it('summary.json: Statuspage shape, worst component as the indicator, the incident worded publicly', () => {
    const page = createStatusPage(fixture.monitor, PAGE_OPTIONS);
    const json = summary(page);
    expect(json.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(json.components.map((c) => [c.name, c.status, c.group, c.group_id])).toEqual([
      ['Checkout API', 'operational', false, null],
      ['Backend', 'major_outage', true, null],
      ['Database', 'major_outage', false, 'backend'],
      ['Search', 'degraded_performance', false, 'backend'],
      ['Payments', 'under_maintenance', false, null],
    ]);
    expect(json.components[1]?.components).toEqual(['database', 'search']);
    expect(json.incidents).toHaveLength(1);
    const incident = json.incidents[0]!;
    expect(incident.name).toBe('Database unavailable');
    expect(incident.impact).toBe('critical');
    expect(incident.status).toBe('identified');
    expect(incident.incident_updates.map((u) => u.status)).toEqual(['identified', 'investigating']);
    expect(incident.components.map((c) => c.id)).toEqual(['database']);
    // 90 days of uptime per component: 89 restored, today observed live.
    const db = json.x_sre.components.find((c) => c.id === 'database')!;
    expect(db.days).toHaveLength(90);
    expect(db.days.at(-1)).toMatchObject({ observed_ms: 600_000, major_ms: 600_000, uptime: 0 });
    expect(db.days.at(-11)).toMatchObject({ major_ms: 45 * 60_000 });
    expect(db.days.at(-41)?.uptime).toBeCloseTo(1 - (0.3 * 3) / 24, 10);
    expect(db.uptime.observed_ms).toBe(89 * 86_400_000 + 600_000);
    expect(json.x_sre.latency.last_24h.count).toBe(500);
    expect(json.x_sre.latency.last_24h.p50_ms).toBeGreaterThan(0);
  });

  it('never shows error text, hosts or stacks unless exposeDetails', () => {
    const page = createStatusPage(fixture.monitor, PAGE_OPTIONS);
    const bodies = [
      get(page, '/status').body,
      get(page, '/status/summary.json').body,
      get(page, '/status/badge/database.svg').body,
    ];
    // The incident's own title does carry it: the page must not.
    const own = fixture.monitor.status().incidents[0]!.incident;
    expect(`${own.title} ${own.impact}`).toContain('ECONNREFUSED 10.0.0.12:5432');
    for (const body of bodies) for (const marker of INTERNAL_MARKERS) expect(body).not.toContain(marker);

    const internal = createStatusPage(fixture.monitor, { ...PAGE_OPTIONS, exposeDetails: true });
    const json = summary(internal);
    expect(json.incidents[0]?.name).toContain('ECONNREFUSED 10.0.0.12:5432');
    expect(json.x_sre.components.find((c) => c.id === 'search')?.sources?.[0]?.detail).toContain(
      'search-7.internal',
    );
    expect(get(internal, '/status').body).toContain('db-primary.internal');
  });

  it('maintenance: scheduled_maintenances in Statuspage shape, the component under_maintenance, not downtime', () => {
    const page = createStatusPage(fixture.monitor, PAGE_OPTIONS);
    const json = summary(page);
    const [upgrade, release] = json.scheduled_maintenances;
    expect(json.scheduled_maintenances).toHaveLength(2);
    expect(upgrade).toMatchObject({
      id: 'payments-upgrade',
      name: 'Payment provider upgrade',
      status: 'in_progress',
      impact: 'maintenance',
      scheduled_for: '2026-03-10T12:00:00.000Z',
      scheduled_until: '2026-03-10T14:00:00.000Z',
    });
    expect(upgrade?.components.map((c) => [c.name, c.status])).toEqual([['Payments', 'under_maintenance']]);
    expect(upgrade?.incident_updates.map((u) => [u.status, u.body])).toEqual([
      ['in_progress', 'Card payments may take a few seconds longer.'],
    ]);
    // Without a summary of its own, a window is worded from the components it names.
    expect(release).toMatchObject({ name: 'Checkout release', status: 'scheduled' });
    expect(release?.incident_updates[0]?.body).toBe('Planned maintenance of Checkout API.');
    // Maintenance time is not downtime.
    const payments = json.x_sre.components.find((c) => c.name === 'Payments')!;
    expect(payments.days.at(-1)).toMatchObject({ observed_ms: 600_000, maintenance_ms: 600_000, uptime: 1 });
    const html = get(page, '/status').body;
    expect(html).toContain('<h2 id="h-mt">Scheduled maintenance</h2>');
    expect(html).toContain('In progress · <time');
    expect(html).toContain('Under maintenance');
  });

  it('a page whose worst is maintenance says so: indicator maintenance', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const now = clock.wallNow();
    const payments = createCircuitBreaker({ name: 'payments' }, { clock });
    const windows = [
      { id: 'm', title: 'Upgrade', components: ['payments'], startsAt: now, endsAt: now + 60_000 },
    ];
    const monitor = createMonitor(
      { service: 'shop', breakers: [payments], scheduledMaintenance: { windows: () => windows } },
      { clock },
    );
    await monitor.evaluate();
    const page = createStatusPage(monitor, { title: 'Shop' });
    expect(summary(page).status).toEqual({
      indicator: 'maintenance',
      description: 'Service Under Maintenance',
    });
    clock.advance(60_000); // the window is over
    expect(summary(page).status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(summary(page).scheduled_maintenances).toEqual([]);
    await monitor.close();
  });

  it('a tracked dependency is one component: its SLOs and breaker together, covered by a window on its name', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const now = clock.wallNow();
    const paymentsApi = trackDependency(
      { name: 'payments-api', slo: { availability: 0.99, latencyMs: 300 }, retry: false },
      { clock },
    );
    const windows = [
      {
        id: 'psp',
        title: 'Provider upgrade',
        components: ['payments-api'],
        startsAt: now + 60_000,
        endsAt: now + 120_000,
      },
    ];
    const monitor = createMonitor(
      { service: 'shop', dependencies: [paymentsApi], scheduledMaintenance: { windows: () => windows } },
      { clock },
    );
    await monitor.evaluate();
    expect(monitor.status().sources.map((s) => [s.key, s.service])).toEqual([
      ['slo:payments-api:availability', 'payments-api'],
      ['slo:payments-api:latency', 'payments-api'],
      ['breaker:payments-api', 'payments-api'],
    ]);
    const page = createStatusPage(monitor, {
      title: 'Shop',
      components: { names: { 'payments-api': 'Payments' } },
    });
    expect(summary(page).components.map((c) => [c.name, c.status])).toEqual([['Payments', 'operational']]);
    const isolation = paymentsApi.breaker!.isolate();
    expect(summary(page).components.map((c) => [c.name, c.status])).toEqual([['Payments', 'major_outage']]);
    clock.advance(60_000); // the window on the dependency's name covers every source of it
    expect(summary(page).components.map((c) => [c.name, c.status])).toEqual([
      ['Payments', 'under_maintenance'],
    ]);
    expect(summary(page).scheduled_maintenances[0]?.components.map((c) => c.name)).toEqual(['Payments']);
    isolation.release();
    await monitor.close();
    await paymentsApi.close();
  });

  it('HTML: one document under 20 KB, no script, every status in words', () => {
    const page = createStatusPage(fixture.monitor, PAGE_OPTIONS);
    const html = get(page, '/status');
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Buffer.byteLength(html.body)).toBeLessThan(20 * 1024);
    expect(html.body).not.toMatch(/<script|\son\w+=/i);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    for (const words of ['Major System Outage', 'Major outage', 'Degraded performance', 'Operational'])
      expect(html.body).toContain(words);
    expect(html.body).toContain('@media (prefers-color-scheme:dark)');
  });

  it('ETag and Cache-Control: a matching If-None-Match is 304, a change is a new tag', async () => {
    const page = createStatusPage(fixture.monitor, { ...PAGE_OPTIONS, maxAgeSeconds: 15 });
    const first = get(page, '/status/summary.json');
    expect(first.headers['cache-control']).toBe('public, max-age=15');
    const etag = first.headers['etag']!;
    expect(get(page, '/status/summary.json', { ifNoneMatch: etag })).toMatchObject({ status: 304, body: '' });
    expect(get(page, '/status/summary.json', { ifNoneMatch: `"x", W/${etag}` }).status).toBe(304);
    fixture.state.db = true;
    fixture.clock!.advance(1_000);
    await fixture.monitor.evaluate();
    const after = get(page, '/status/summary.json', { ifNoneMatch: etag });
    expect(after.status).toBe(200);
    expect(after.headers['etag']).not.toBe(etag);
    // Recovered, but the incident waits resolveAfterMs: the page says it is being monitored.
    const json = statusSummarySchema.parse(JSON.parse(after.body));
    expect(json.incidents[0]?.status).toBe('monitoring');
    expect(json.incidents[0]?.monitoring_at).not.toBeNull();
    expect(json.components.find((c) => c.id === 'database')?.status).toBe('operational');
  });

  it('every state reached validates: before any evaluation, renamed, hidden, only-if-degraded', async () => {
    const bare = createStatusPage(fixture.monitor, { title: 'Plain' });
    expect(summary(bare).components.map((c) => c.name)).toEqual([
      'db',
      'cache',
      'availability',
      'latency-300ms',
      'payments',
    ]);
    const hidden = createStatusPage(fixture.monitor, {
      title: 'Hidden',
      components: { hide: ['check:cache', 'db'], onlyShowIfDegraded: ['latency-300ms'] },
    });
    const json = summary(hidden);
    expect(json.components.map((c) => c.name)).toEqual(['availability', 'latency-300ms', 'payments']);
    expect(json.components[1]?.only_show_if_degraded).toBe(true);
    expect(get(hidden, '/status').body).not.toContain('>latency-300ms<');
    // The database's incident still shows, worded for the whole page since its component is hidden.
    expect(json.incidents[0]?.name).toBe('Hidden disruption');
    expect(json.incidents[0]?.components).toEqual([]);
  });

  it('badges: status or uptime, escaped text, 404 for an unknown component', () => {
    const page = createStatusPage(fixture.monitor, {
      title: 'A <b>&"\'',
      components: { names: { db: 'DB <i>' } },
    });
    const status = get(page, '/status/badge/db-i.svg');
    expect(status.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(status.body).toContain('DB &lt;i&gt;');
    expect(status.body).toContain('major outage');
    expect(get(page, '/status/badge/db-i.svg', { metric: 'uptime' }).body).toMatch(/\d+\.\d\d %/);
    expect(get(page, '/status/badge/_overall.svg').body).toContain('A &lt;b&gt;&amp;&quot;&#39;');
    expect(get(page, '/status/badge/nope.svg').status).toBe(404);
    expect(page.answer({ method: 'GET', path: '/elsewhere' })).toBeUndefined();
    expect(page.answer({ method: 'POST', path: '/status' })).toBeUndefined();
  });

  it('a monitor that throws gets a 503 without details, and the error goes to onInternalError', () => {
    const onInternalError = vi.fn();
    const page = createStatusPage(
      {
        status: () => {
          throw new Error('secret 10.0.0.12');
        },
        uptime: () => fixture.monitor.uptime(),
      },
      { title: 'T' },
      { onInternalError },
    );
    const answer = get(page, '/status');
    expect(answer.status).toBe(503);
    expect(answer.body).not.toContain('10.0.0.12');
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    const bad = [
      () => createStatusPage(fixture.monitor, { title: '' }),
      () => createStatusPage(fixture.monitor, { title: 'T', path: 'status' }),
      () => createStatusPage(fixture.monitor, { title: 'T', uptimeDays: 91 }),
      () =>
        createStatusPage(fixture.monitor, {
          title: 'T',
          components: { grouping: { A: ['x'], B: ['x'] } },
        }),
      () => createStatusPage({} as never, { title: 'T' }),
    ];
    for (const make of bad) {
      try {
        make();
        expect.unreachable();
      } catch (error) {
        expect(isSreError(error, 'ERR_SRE_INVALID_OPTIONS')).toBe(true);
      }
    }
  });
});
