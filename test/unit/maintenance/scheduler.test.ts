import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createHealthRegistry,
  createMaintenanceCalendar,
  createMaintenanceScheduler,
  isSreError,
  maintenanceJobMetrics,
  renderMetrics,
  TimeoutError,
  type Clock,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const MIN = 60_000;
const H = 60 * MIN;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Resolves after `ms` on `clock`, or rejects when `signal` aborts. */
function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancel = clock.schedule(ms, resolve);
    signal?.addEventListener('abort', () => {
      cancel();
      reject(signal.reason as Error);
    });
  });
}

/** Advances in steps so async jobs settle between timers. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  await clock.advanceAsync(ms);
}

const matrix: string[][] = [];

describe('DST on the fake clock: no double and no missed runs', () => {
  const cases = [
    // [zone, transition, pattern, from, to, the runs expected (UTC)]
    [
      'Europe/Berlin',
      'spring gap',
      '0 2 * * *',
      '2026-03-27T12:00:00Z',
      '2026-03-30T12:00:00Z',
      ['2026-03-28T01:00:00Z', '2026-03-29T01:00:00Z', '2026-03-30T00:00:00Z'],
    ],
    [
      'Europe/Berlin',
      'autumn overlap',
      '30 2 * * *',
      '2026-10-23T12:00:00Z',
      '2026-10-26T12:00:00Z',
      ['2026-10-24T00:30:00Z', '2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'],
    ],
    [
      'America/New_York',
      'spring gap',
      '30 2 * * *',
      '2026-03-06T12:00:00Z',
      '2026-03-09T12:00:00Z',
      ['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z'],
    ],
    [
      'America/New_York',
      'autumn overlap',
      '30 1 * * *',
      '2026-10-30T12:00:00Z',
      '2026-11-02T12:00:00Z',
      ['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'],
    ],
  ] as const;

  it.each(cases)('%s %s: %s runs once a day', async (timeZone, transition, pattern, from, to, expected) => {
    const clock = createFakeClock({ start: from });
    const jobs = createMaintenanceScheduler({ timeZone }, { clock });
    jobs.schedule('daily', pattern, () => 'done');
    await advance(clock, Date.parse(to) - Date.parse(from));
    const runs = jobs.runs('daily');
    matrix.push([timeZone, transition, pattern, runs.map((r) => iso(r.startedAt).slice(5, 16)).join(', ')]);
    expect(runs.map((r) => r.outcome)).toEqual(expected.map(() => 'ok'));
    expect(runs.map((r) => iso(r.startedAt))).toEqual(expected.map((t) => iso(Date.parse(t))));
    expect(runs.every((r) => r.lateMs === 0)).toBe(true);
    await jobs.close();
  });

  it.each([
    ['Europe/Berlin', 'spring gap', '2026-03-28T23:00:00Z', 23],
    ['Europe/Berlin', 'autumn overlap', '2026-10-24T22:00:00Z', 25],
    ['America/New_York', 'spring gap', '2026-03-08T05:00:00Z', 23],
    ['America/New_York', 'autumn overlap', '2026-11-01T04:00:00Z', 25],
  ] as const)(
    '%s %s: an hourly job runs every real hour of the local day (%#)',
    async (timeZone, transition, dayStart, hours) => {
      // From a minute before the local day's first midnight to a minute before the next one.
      const clock = createFakeClock({ start: Date.parse(dayStart) - MIN });
      const jobs = createMaintenanceScheduler({ timeZone }, { clock });
      jobs.schedule('hourly', '0 * * * *', () => undefined);
      await advance(clock, hours * H);
      const starts = jobs.runs('hourly').map((r) => r.startedAt);
      matrix.push([
        timeZone,
        transition,
        '0 * * * *',
        `${starts.length} runs in the ${hours}-hour local day, each 1 h after the last`,
      ]);
      expect(starts[0]).toBe(Date.parse(dayStart));
      expect(starts.length).toBe(hours);
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(H);
      await jobs.close();
    },
  );
});

afterAll(() => {
  if (matrix.length === 0) return;
  const header = ['zone', 'transition', 'pattern', 'runs (UTC)'];
  const widths = header.map((h, i) => Math.max(h.length, ...matrix.map((row) => row[i]!.length)));
  const line = (row: readonly string[]): string => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  console.log(['DST matrix: maintenance jobs', line(header), ...matrix.map(line)].join('\n'));
});

describe('protect: no overlapping runs', () => {
  it('records a run due while the previous one is still going as skipped_overlap', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule('slow', '0 * * * *', ({ signal }) => sleep(clock, 90 * MIN, signal), { timeoutMs: 3 * H });
    await advance(clock, 3 * H + MIN);
    // 01:00 starts and runs to 02:30; 02:00 finds it running; 03:00 starts again.
    expect(jobs.runs('slow').map((r) => [iso(r.scheduledAt).slice(11, 16), r.outcome])).toEqual([
      ['02:00', 'skipped_overlap'],
      ['01:00', 'ok'],
    ]);
    const skipped = jobs.runs('slow').find((r) => r.outcome === 'skipped_overlap');
    expect(skipped?.error).toBe('the run started at 2026-06-01T01:00:00.000Z is still running');
    expect(jobs.job('slow')?.runningSince).toBe(Date.parse('2026-06-01T03:00:00Z'));
    await jobs.close();
  });
});

describe('timeoutMs', () => {
  it('times out a hung job, aborts its signal, and keeps it from overlapping until it settles', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:30:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    let seen: AbortSignal | undefined;
    // Ignores its signal: never settles.
    jobs.schedule(
      'hung',
      '0 * * * *',
      ({ signal }) => {
        seen = signal;
        return new Promise(() => undefined);
      },
      { timeoutMs: 10 * MIN },
    );
    await advance(clock, 30 * MIN + 10 * MIN);
    const [run] = jobs.runs('hung');
    expect(run).toMatchObject({
      outcome: 'timed_out',
      durationMs: 10 * MIN,
      error: 'timed out after 600000 ms',
    });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
    await advance(clock, H);
    expect(jobs.runs('hung').map((r) => r.outcome)).toEqual(['timed_out', 'skipped_overlap']);
    await jobs.close();
  });

  it('records a job that gives up on its aborted signal once, as timed_out', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:59:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule('cooperative', '0 * * * *', ({ signal }) => sleep(clock, 2 * H, signal), {
      timeoutMs: 5 * MIN,
    });
    await advance(clock, MIN + 5 * MIN + 1);
    expect(jobs.runs('cooperative').map((r) => r.outcome)).toEqual(['timed_out']);
    expect(jobs.job('cooperative')?.runningSince).toBeNull();
    await jobs.close();
  });
});

describe('maxLateMs', () => {
  it('records runs the clock jumped over as missed and runs the latest one within maxLateMs', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:30:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule('hourly', '0 * * * *', () => undefined, { maxLateMs: 15 * MIN });
    // The machine sleeps: the wall clock moves 3 h 40 min while the timer waits its 30 min.
    clock.setWallTime('2026-06-01T03:40:00Z');
    await advance(clock, 30 * MIN);
    const runs = jobs.runs('hourly');
    expect(runs.map((r) => [iso(r.scheduledAt).slice(11, 16), r.outcome, r.error])).toEqual([
      ['01:00', 'missed', 'a later due time passed before it could run'],
      ['02:00', 'missed', 'a later due time passed before it could run'],
      ['03:00', 'missed', 'a later due time passed before it could run'],
      ['04:00', 'ok', null],
    ]);
    expect(runs.at(-1)?.lateMs).toBe(10 * MIN);
    // The next due time after the wake-up runs on time.
    await advance(clock, H);
    expect(jobs.runs('hourly').at(-1)).toMatchObject({ outcome: 'ok', lateMs: 0 });
    await jobs.close();
  });

  it('records the latest due time missed too when it is later than maxLateMs', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:30:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule('hourly', '0 * * * *', () => undefined, { maxLateMs: 15 * MIN });
    clock.setWallTime('2026-06-01T00:55:00Z');
    await advance(clock, 30 * MIN);
    expect(jobs.runs('hourly').map((r) => [r.outcome, r.error])).toEqual([
      ['missed', 'started 1500000 ms late, past maxLateMs (900000 ms)'],
    ]);
    await jobs.close();
  });

  it('runs a late run without maxLateMs (once)', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:30:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule('hourly', '0 * * * *', () => undefined);
    clock.setWallTime('2026-06-01T02:10:00Z');
    await advance(clock, 30 * MIN);
    expect(jobs.runs('hourly').map((r) => [iso(r.scheduledAt).slice(11, 16), r.outcome, r.lateMs])).toEqual([
      ['01:00', 'missed', 100 * MIN],
      ['02:00', 'ok', 40 * MIN],
    ]);
    await jobs.close();
  });
});

describe('the record of every run', () => {
  it('keeps maxRunsPerJob runs, counts every one, notes and errors, and the windows open at the start', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
    calendar.add({
      id: 'nightly',
      title: 'Nightly maintenance',
      matchers: ['service="db"'],
      recurring: { times: [{ start: '02:00', end: '03:00' }] },
      createdBy: 'ops',
    });
    const jobs = createMaintenanceScheduler({ calendar, maxRunsPerJob: 3 }, { clock });
    let n = 0;
    jobs.schedule('vacuum', '30 * * * *', () => {
      n++;
      if (n === 2) throw new Error('relation "orders" is locked');
      return `vacuumed ${n}`;
    });
    await advance(clock, 5 * H);
    const runs = jobs.runs('vacuum');
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => [iso(r.startedAt).slice(11, 16), r.outcome, r.note, r.windows])).toEqual([
      ['02:30', 'ok', 'vacuumed 3', ['nightly']],
      ['03:30', 'ok', 'vacuumed 4', []],
      ['04:30', 'ok', 'vacuumed 5', []],
    ]);
    expect(jobs.job('vacuum')?.counts).toEqual({
      ok: 4,
      failed: 1,
      timed_out: 0,
      skipped_overlap: 0,
      missed: 0,
    });
    await jobs.close();
  });

  it('exposes the runs in /metrics', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule('vacuum', '0 3 * * *', () => undefined);
    await advance(clock, 4 * H);
    const text = renderMetrics([maintenanceJobMetrics(jobs)]);
    expect(text).toContain('sre_maintenance_job_runs_total{job="vacuum",outcome="ok"} 1');
    expect(text).toContain('sre_maintenance_job_runs_total{job="vacuum",outcome="missed"} 0');
    expect(text).toContain('sre_maintenance_job_running{job="vacuum"} 0');
    expect(text).toContain(
      `sre_maintenance_job_last_success_timestamp_seconds{job="vacuum"} ${Date.parse('2026-06-01T03:00:00Z') / 1000}`,
    );
    expect(text).toContain(
      `sre_maintenance_job_next_run_timestamp_seconds{job="vacuum"} ${Date.parse('2026-06-02T03:00:00Z') / 1000}`,
    );
    await jobs.close();
  });

  it('runs a job on trigger(), recorded like a scheduled run', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule('vacuum', '0 3 * * *', () => 'VACUUM ANALYZE done');
    const run = await jobs.trigger('vacuum');
    expect(run).toMatchObject({ outcome: 'ok', note: 'VACUUM ANALYZE done', lateMs: 0 });
    await expect(jobs.trigger('nope')).rejects.toSatisfy((error) => isSreError(error));
    await jobs.close();
  });
});

describe('freshness check', () => {
  it('warns when a daily job has not ended ok for 26 hours and fails after 50', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    let broken = false;
    jobs.schedule('vacuum', '0 3 * * *', () => {
      if (broken) throw new Error('disk full');
    });
    const health = createHealthRegistry({ service: 'db' }, { clock });
    health.register('vacuum', jobs.freshnessCheck('vacuum'), { critical: false });
    const status = async (): Promise<string> => (await health.check()).checks[0]!.status;
    await advance(clock, 4 * H); // ran at 03:00
    expect(await status()).toBe('pass');
    broken = true;
    await advance(clock, 26 * H); // 06:00 next day: 27 h since the last success
    expect(await status()).toBe('warn');
    await advance(clock, 24 * H);
    expect(await status()).toBe('fail');
    health.close();
    await jobs.close();
  });
});

describe('lifecycle and validation', () => {
  it('clears its timers on close() and aborts the run in progress', async () => {
    const clock = createFakeClock({ start: '2026-06-01T00:59:00Z' });
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    let seen: AbortSignal | undefined;
    jobs.schedule('slow', '0 * * * *', ({ signal }) => {
      seen = signal;
      return sleep(clock, H, signal);
    });
    await advance(clock, 2 * MIN);
    await jobs.close();
    expect(seen?.aborted).toBe(true);
    await advance(clock, 0);
    expect(jobs.runs('slow').map((r) => r.outcome)).toEqual(['failed']);
    expect(clock.pendingCount).toBe(0);
    expect(jobs.job('slow')?.nextRunAt).toBeNull();
  });

  it('refuses a bad pattern, a job without a time zone, a duplicate name and bad options', () => {
    const clock = createFakeClock();
    const fields = (run: () => unknown): string[] => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).issues.map((i) => i.field);
      }
      throw new Error('expected a ConfigError');
    };
    const none = createMaintenanceScheduler({}, { clock });
    expect(fields(() => none.schedule('a', '0 3 * * *', () => undefined))).toEqual(['timeZone']);
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    expect(fields(() => jobs.schedule('a', '0 25 * * *', () => undefined))).toEqual(['pattern']);
    expect(fields(() => jobs.schedule('a b', '0 3 * * *', () => undefined))).toEqual(['name']);
    expect(fields(() => jobs.schedule('a', '0 3 * * *', () => undefined, { timeoutMs: 0 }))).toEqual([
      'timeoutMs',
    ]);
    jobs.schedule('a', '0 3 * * *', () => undefined);
    expect(fields(() => jobs.schedule('a', '0 4 * * *', () => undefined))).toEqual(['name']);
    expect(fields(() => createMaintenanceScheduler({ timeZone: 'Nowhere/Land' }))).toEqual(['timeZone']);
  });
});
