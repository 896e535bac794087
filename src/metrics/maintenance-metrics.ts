import type { MaintenanceCalendar, MaintenanceScheduler } from '../maintenance/index.js';
import { JOB_OUTCOMES } from '../maintenance/index.js';
import type { MetricFamily, MetricSample, MetricsSource } from './metric-family.js';

/**
 * Exposes a maintenance scheduler's jobs: runs by outcome (`ok`, `failed`, `timed_out`,
 * `skipped_overlap`, `missed`) as counters, whether each is running, when it last succeeded, how long
 * its last run took and when it runs next. Alert on `time() - sre_maintenance_job_last_success_timestamp_seconds`
 * the way the freshness check does.
 *
 * @example
 * ```ts
 * app.get('/metrics', metricsHandler({ http: sre, sources: [maintenanceJobMetrics(jobs)] }));
 * ```
 */
export function maintenanceJobMetrics(scheduler: Pick<MaintenanceScheduler, 'jobs'>): MetricsSource {
  return {
    *collect() {
      const jobs = scheduler.jobs();
      if (jobs.length === 0) return;
      const runs: MetricSample[] = [];
      const running: MetricSample[] = [];
      const lastSuccess: MetricSample[] = [];
      const lastDuration: MetricSample[] = [];
      const next: MetricSample[] = [];
      for (const job of jobs) {
        const labels = { job: job.name };
        for (const outcome of JOB_OUTCOMES)
          runs.push({ suffix: '_total', labels: { job: job.name, outcome }, value: job.counts[outcome] });
        running.push({ labels, value: job.runningSince === null ? 0 : 1 });
        if (job.lastSuccessAt !== null) lastSuccess.push({ labels, value: job.lastSuccessAt / 1_000 });
        const last = job.lastRun;
        if (last !== null && last.outcome !== 'missed' && last.outcome !== 'skipped_overlap')
          lastDuration.push({ labels, value: last.durationMs / 1_000 });
        if (job.nextRunAt !== null) next.push({ labels, value: job.nextRunAt / 1_000 });
      }
      const families: MetricFamily[] = [
        {
          name: 'sre_maintenance_job_runs',
          help: 'Maintenance job runs by outcome; skipped_overlap and missed runs did not run.',
          type: 'counter',
          samples: runs,
        },
        {
          name: 'sre_maintenance_job_running',
          help: 'Whether a run of the job is in progress (1) or not (0).',
          type: 'gauge',
          samples: running,
        },
        {
          name: 'sre_maintenance_job_last_success_timestamp_seconds',
          help: 'When the last run that ended ok ended, in seconds since the epoch.',
          type: 'gauge',
          unit: 'seconds',
          samples: lastSuccess,
        },
        {
          name: 'sre_maintenance_job_last_duration_seconds',
          help: 'How long the last run that ran took (ok, failed or timed out).',
          type: 'gauge',
          unit: 'seconds',
          samples: lastDuration,
        },
        {
          name: 'sre_maintenance_job_next_run_timestamp_seconds',
          help: 'When the job runs next, in seconds since the epoch.',
          type: 'gauge',
          unit: 'seconds',
          samples: next,
        },
      ];
      yield* families.filter((family) => family.samples.length > 0);
    },
  };
}

/**
 * Exposes a maintenance calendar: `sre_maintenance_window_open{window}` is 1 while a window is open and
 * 0 otherwise, so an alert rule can hold off during a window (`unless on() sre_maintenance_window_open == 1`).
 *
 * @example
 * ```ts
 * app.get('/metrics', metricsHandler({ http: sre, sources: [maintenanceWindowMetrics(calendar)] }));
 * ```
 */
export function maintenanceWindowMetrics(
  calendar: Pick<MaintenanceCalendar, 'list' | 'active'>,
): MetricsSource {
  return {
    *collect() {
      const windows = calendar.list();
      if (windows.length === 0) return;
      const open = new Set(calendar.active().map((active) => active.window.id));
      yield {
        name: 'sre_maintenance_window_open',
        help: 'Whether a maintenance window is open now (1) or not (0).',
        type: 'gauge',
        samples: windows.map((window) => ({
          labels: { window: window.id },
          value: open.has(window.id) ? 1 : 0,
        })),
      };
    },
  };
}
