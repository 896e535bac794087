// The public surface of maintenance: the calendar of windows, the job scheduler and the built-in jobs.
export {
  createMaintenanceCalendar,
  MAINTENANCE_SOURCE,
  type MaintenanceCalendar,
  type MaintenanceOccurrence,
} from './calendar.js';
export type {
  MaintenanceCalendarOptions,
  MaintenanceWindowInput,
  MaintenanceRecurrence,
  MaintenanceTime,
} from './calendar-options.js';
export type { MaintenanceWindow, MaintenanceRecurrenceView, ActiveMaintenance } from './window.js';
export type {
  MaintenanceExplanation,
  WindowExplanation,
  MatcherExplanation,
  MatchedFields,
  TimeExplanation,
} from './explain.js';
export {
  createMaintenanceScheduler,
  type MaintenanceScheduler,
  type MaintenanceJob,
  type JobContext,
  type ScheduledJobStatus,
  type JobFreshnessOptions,
} from './scheduler.js';
export type { MaintenanceSchedulerOptions, MaintenanceJobOptions } from './scheduler-options.js';
export { JOB_OUTCOMES, type JobOutcome, type JobRun } from './job-runs.js';
export {
  maintenanceJobs,
  type CertificateRenewalOptions,
  type CertificateRenewalContext,
  type LogRotationOptions,
  type LogRotationContext,
} from './jobs/index.js';
