// Answering `maintenance_windows`, `run_drill` and `drill_report` from a monitor's calendar and drills.
import type { DrillJournal, DrillRegistry } from '../../drills/index.js';
import type {
  MaintenanceCalendar,
  MaintenanceWindow,
  MaintenanceWindowInput,
} from '../../maintenance/index.js';
import type { MonitorQueries } from '../types.js';
import { AgentErrorCode, DEFAULT_RECENT_DRILLS } from './constants.js';
import type {
  AgentDrillReportRequest,
  AgentMaintenanceWindowsRequest,
  DrillReportResult,
  MaintenanceWindowReport,
  MaintenanceWindowsResult,
} from './maintenance-schemas.js';

/** A refusal or a lookup failure, turned into an error response by the caller. */
export interface ActionFailure {
  readonly code: (typeof AgentErrorCode)[keyof typeof AgentErrorCode];
  readonly message: string;
  readonly path: readonly (string | number)[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function calendarOf(monitor: MonitorQueries): MaintenanceCalendar | ActionFailure {
  return (
    monitor.maintenance ?? {
      code: AgentErrorCode.REFUSED,
      message: 'The monitor has no maintenance calendar (its `maintenance` option)',
      path: ['action'],
    }
  );
}

function drillsOf(monitor: MonitorQueries): DrillRegistry | ActionFailure {
  return (
    monitor.drills ?? {
      code: AgentErrorCode.REFUSED,
      message: 'The monitor keeps no drills',
      path: ['action'],
    }
  );
}

/** Whether a value is an {@link ActionFailure}. */
export function isFailure(value: unknown): value is ActionFailure {
  return typeof value === 'object' && value !== null && 'code' in value && 'path' in value;
}

/** The window of a `maintenance_windows` add request, as the calendar takes it. */
function toWindowInput(
  window: NonNullable<AgentMaintenanceWindowsRequest['window']>,
): MaintenanceWindowInput {
  const r = window.recurring;
  return {
    id: window.id,
    title: window.title,
    matchers: window.matchers,
    createdBy: window.created_by,
    ...(window.start === undefined ? {} : { start: window.start }),
    ...(window.end === undefined ? {} : { end: window.end }),
    ...(window.silence === undefined ? {} : { silence: window.silence }),
    ...(window.exclude_from_slo === undefined ? {} : { excludeFromSlo: window.exclude_from_slo }),
    ...(window.comment === undefined ? {} : { comment: window.comment }),
    ...(r === undefined
      ? {}
      : {
          recurring: {
            ...(r.weekdays === undefined ? {} : { weekdays: r.weekdays }),
            ...(r.times === undefined ? {} : { times: r.times }),
            ...(r.days_of_month === undefined ? {} : { daysOfMonth: r.days_of_month }),
            ...(r.months === undefined ? {} : { months: r.months }),
            ...(r.years === undefined ? {} : { years: r.years }),
            ...(r.time_zone === undefined ? {} : { timeZone: r.time_zone }),
          },
        }),
  };
}

/**
 * Lists the windows (and which are open at `at`), after adding one for `operation: 'add'`. A window
 * the calendar refuses throws its ConfigError, which the caller turns into a bad request naming the field.
 */
export function answerMaintenanceWindows(
  monitor: MonitorQueries,
  request: AgentMaintenanceWindowsRequest,
): MaintenanceWindowsResult | ActionFailure {
  const calendar = calendarOf(monitor);
  if (isFailure(calendar)) return calendar;
  const added = request.window === undefined ? null : calendar.add(toWindowInput(request.window)).id;
  const at = request.at === undefined ? calendar.now() : Date.parse(request.at);
  const open = new Map(calendar.active(at).map((o) => [o.window.id, o]));
  const windows = calendar.list().map((window): MaintenanceWindowReport => {
    const current = open.get(window.id);
    const next = current ?? nextOpening(calendar, window, at);
    return {
      ...viewOf(window),
      open: current !== undefined,
      opensAt: iso(next?.startsAt ?? null),
      closesAt: iso(next?.endsAt ?? null),
    };
  });
  return { at: new Date(at).toISOString(), windows, added };
}

// The next span of a window closed at `at`, within the next 400 days (a report, not a forecast).
function nextOpening(
  calendar: MaintenanceCalendar,
  window: MaintenanceWindow,
  at: number,
): { startsAt: number; endsAt: number } | undefined {
  return calendar
    .occurrences(at, at + 400 * 86_400_000)
    .find((o) => o.window.id === window.id && o.startsAt >= at);
}

function viewOf(window: MaintenanceWindow): Omit<MaintenanceWindowReport, 'open' | 'opensAt' | 'closesAt'> {
  const r = window.recurring;
  return {
    id: window.id,
    title: window.title,
    matchers: [...window.matchers],
    start: iso(window.start),
    end: iso(window.end),
    recurring:
      r === null
        ? null
        : {
            ...(r.weekdays === undefined ? {} : { weekdays: [...r.weekdays] }),
            times: [...r.times],
            ...(r.daysOfMonth === undefined ? {} : { daysOfMonth: [...r.daysOfMonth] }),
            ...(r.months === undefined ? {} : { months: [...r.months] }),
            ...(r.years === undefined ? {} : { years: [...r.years] }),
            timeZone: r.timeZone,
          },
    silence: window.silence,
    excludeFromSlo:
      typeof window.excludeFromSlo === 'boolean' ? window.excludeFromSlo : [...window.excludeFromSlo],
    createdBy: window.createdBy,
    comment: window.comment,
    createdAt: new Date(window.createdAt).toISOString(),
  };
}

/** Runs a registered drill, refusing while a P1 incident is open or while the drill already runs. */
export async function answerRunDrill(
  monitor: MonitorQueries,
  name: string,
): Promise<DrillJournal | ActionFailure> {
  const registry = drillsOf(monitor);
  if (isFailure(registry)) return registry;
  const drill = registry.get(name);
  if (drill === undefined) {
    const known = registry.names();
    return {
      code: AgentErrorCode.NOT_FOUND,
      message: `No drill named '${name}'; known: ${known.length === 0 ? '(none)' : known.map((n) => `'${n}'`).join(', ')}`,
      path: ['name'],
    };
  }
  await monitor.incidents.ready();
  const p1 = monitor.incidents.list({ status: ['open', 'acknowledged'], severity: 'P1' })[0];
  if (p1 !== undefined)
    return {
      code: AgentErrorCode.REFUSED,
      message: `Refused: P1 incident ${p1.id} (${p1.title}) is open; drills wait until it is resolved`,
      path: ['name'],
    };
  if (drill.running)
    return {
      code: AgentErrorCode.REFUSED,
      message: `Refused: drill '${name}' is already running`,
      path: ['name'],
    };
  return drill.run();
}

/** The drills registered and their journals, most recent first. */
export function answerDrillReport(
  monitor: MonitorQueries,
  request: AgentDrillReportRequest,
): DrillReportResult | ActionFailure {
  const registry = drillsOf(monitor);
  if (isFailure(registry)) return registry;
  if (
    request.name !== undefined &&
    registry.get(request.name) === undefined &&
    registry.journals({ name: request.name }).length === 0
  )
    return { code: AgentErrorCode.NOT_FOUND, message: `No drill named '${request.name}'`, path: ['name'] };
  const journals = registry.journals(request.name === undefined ? {} : { name: request.name });
  const recent = journals.slice(-(request.recent ?? DEFAULT_RECENT_DRILLS)).reverse();
  const drills = registry.names().flatMap((name) => {
    const drill = registry.get(name);
    return drill === undefined ? [] : [{ name, kind: drill.kind, running: drill.running }];
  });
  return { drills, journals: [...recent] };
}
