import { describe, expectTypeOf, it } from 'vitest';
import {
  createDrill,
  createMaintenanceCalendar,
  createMaintenanceScheduler,
  type BackupDrillOptions,
  type ChaosDrillOptions,
  type Drill,
  type DrillJournal,
  type DrillRegistryOptions,
  type JobRun,
  type MaintenanceCalendarOptions,
  type MaintenanceJobOptions,
  type MaintenanceSchedulerOptions,
  type MaintenanceWindowInput,
  type Monitor,
} from 'sre-kit';
import type { Bound } from './bound.js';
import type {
  maintenanceCalendarOptionsSchema,
  maintenanceWindowInputSchema,
} from '../../src/maintenance/calendar-options.js';
import type {
  maintenanceJobOptionsSchema,
  maintenanceSchedulerOptionsSchema,
} from '../../src/maintenance/scheduler-options.js';
import type { backupDrillOptionsSchema, chaosDrillOptionsSchema } from '../../src/drills/options.js';
import type { drillRegistryOptionsSchema } from '../../src/drills/registry.js';

describe('maintenance and drill options are bound to their schemas', () => {
  it('the calendar, its windows, the scheduler and its jobs', () => {
    expectTypeOf<
      Bound<MaintenanceCalendarOptions, typeof maintenanceCalendarOptionsSchema>
    >().toEqualTypeOf<true>();
    expectTypeOf<Bound<MaintenanceWindowInput, typeof maintenanceWindowInputSchema>>().toEqualTypeOf<true>();
    expectTypeOf<
      Bound<MaintenanceSchedulerOptions, typeof maintenanceSchedulerOptionsSchema>
    >().toEqualTypeOf<true>();
    expectTypeOf<Bound<MaintenanceJobOptions, typeof maintenanceJobOptionsSchema>>().toEqualTypeOf<true>();
  });

  it('chaos and backup drills', () => {
    expectTypeOf<Bound<ChaosDrillOptions, typeof chaosDrillOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<BackupDrillOptions, typeof backupDrillOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<DrillRegistryOptions, typeof drillRegistryOptionsSchema>>().toEqualTypeOf<true>();
  });
});

describe('maintenance and drill types', () => {
  it('runs are records and drills resolve journals', () => {
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' });
    expectTypeOf(jobs.runs('vacuum')).toEqualTypeOf<readonly JobRun[]>();
    expectTypeOf(createMaintenanceCalendar().active()[0]?.window.id).toEqualTypeOf<string | undefined>();
    expectTypeOf(createDrill).returns.toEqualTypeOf<Drill>();
    expectTypeOf<ReturnType<Drill['run']>>().toEqualTypeOf<Promise<DrillJournal>>();
  });

  it('a monitor is what a drill reads', () => {
    expectTypeOf<Monitor>().toExtend<ChaosDrillOptions['monitor']>();
  });
});
