// `sre-kit report`: the incidents of a calendar period from a file incident log, read without taking
// its lock (the service may be running): counts, MTTA, MTTR, MTBF, automation, and each incident's report.
import { isSreError } from '../../core/index.js';
import {
  createIncidentRecorder,
  createMemoryIncidentStore,
  readIncidentLog,
  type Incident,
  type IncidentMetrics,
  type IncidentRecorder,
  type IncidentReport,
  type IncidentLogContents,
} from '../../incidents/index.js';
import { calendarPeriod, type CalendarPeriod } from '../../slo/index.js';
import {
  CliError,
  EXIT,
  formatDuration,
  markdownTable,
  oneLine,
  parseCommandLine,
  percent,
  textTable,
  usageError,
  type CliIo,
} from '../io.js';

export const REPORT_HELP = `Usage: sre-kit report --incidents <log.jsonl> [options]

The incidents opened in a calendar period, from the log of createFileIncidentStore (read-only: safe
while the service runs): how many by severity, MTTA, MTTR, MTBF, how many were resolved by automation,
and each incident's report (id, severity, service, impact, root cause, resolution, duration).

Options:
  --incidents <file>   the incident log (JSON lines)
  --period <unit>      day, week (ISO, from Monday) or month (default month)
  --at <date>          a date inside the period, e.g. 2026-03 or 2026-03-15 (default now)
  --tz <zone>          the IANA time zone periods start in (default UTC)
  --service <name>     only this service's incidents
  --markdown           print Markdown tables
  --json               print JSON
  -h, --help           this help

Exit codes: 0, 1 unreadable log or bad values, 64 usage.`;

/** Runs `sre-kit report`. */
export async function reportCommand(args: readonly string[], io: CliIo, nowMs: number): Promise<number> {
  const { values } = parseCommandLine(
    args,
    {
      incidents: { type: 'string' },
      period: { type: 'string' },
      at: { type: 'string' },
      tz: { type: 'string' },
      service: { type: 'string' },
      markdown: { type: 'boolean' },
    },
    0,
  );
  if (values.help === true) {
    io.stdout(`${REPORT_HELP}\n`);
    return EXIT.ok;
  }
  if (values.incidents === undefined)
    throw usageError('missing --incidents, e.g. --incidents ./var/incidents.jsonl');
  if (values.json === true && values.markdown === true) throw usageError('--json and --markdown: choose one');
  const unit = values.period ?? 'month';
  if (unit !== 'day' && unit !== 'week' && unit !== 'month')
    throw usageError(`--period ${JSON.stringify(unit)}: expected day, week or month`);
  const at = values.at === undefined ? nowMs : parseDate(values.at);
  const timeZone = values.tz ?? 'UTC';

  let period: CalendarPeriod;
  try {
    period = calendarPeriod({ unit, timeZone, at });
  } catch (error) {
    if (isSreError(error)) throw usageError(`--tz ${JSON.stringify(timeZone)}: not an IANA time zone`);
    throw error;
  }
  const log = await readLog(values.incidents);
  for (const bad of log.skipped)
    io.stderr(`sre-kit report: ${values.incidents} line ${bad.line} skipped: ${bad.reason}\n`);

  const recorder = createIncidentRecorder(
    { service: 'sre-kit-report', store: createMemoryIncidentStore({ records: log.records }) },
    { onInternalError: (error) => io.stderr(`sre-kit report: ${oneLine(String(error))}\n`) },
  );
  await recorder.ready();
  const window = { since: period.startMs, until: period.endMs };
  const filter = values.service === undefined ? window : { ...window, service: values.service };
  const incidents = recorder.list(filter);
  // Metrics over the period's incidents: counted as of the period's end, or now while it runs.
  const metrics = await metricsOf(recorder, incidents, window, values.service);
  const reports = incidents.map((incident) => ({ incident, report: recorder.report(incident.id) }));
  await recorder.close();

  const periodJson = {
    unit,
    timeZone,
    start: new Date(period.startMs).toISOString(),
    end: new Date(period.endMs).toISOString(),
  };
  if (values.json === true) {
    io.stdout(
      `${JSON.stringify({
        ok: true,
        period: periodJson,
        ...(values.service === undefined ? {} : { service: values.service }),
        metrics,
        incidents: reports.map(({ incident, report }) => ({
          ...report,
          title: incident.title,
          status: incident.status,
          opened_at: new Date(incident.openedAt).toISOString(),
          resolved_at: incident.resolvedAt === undefined ? null : new Date(incident.resolvedAt).toISOString(),
          automated: incident.automated === true,
        })),
      })}\n`,
    );
    return EXIT.ok;
  }
  const title = `Incidents, ${unit} from ${periodJson.start} to ${periodJson.end} (${timeZone})${
    values.service === undefined ? '' : `, service ${values.service}`
  }`;
  const summaryHeader = [
    'incidents',
    'P1',
    'P2',
    'P3',
    'P4',
    'P5',
    'open',
    'MTTA',
    'MTTR',
    'MTBF',
    'automated',
  ];
  const summary = [
    String(metrics.count),
    ...(['P1', 'P2', 'P3', 'P4', 'P5'] as const).map((s) => String(metrics.bySeverity[s])),
    String(metrics.open),
    orDash(metrics.mttaMs, formatDuration),
    orDash(metrics.mttrMs, formatDuration),
    orDash(metrics.mtbfMs, formatDuration),
    orDash(metrics.autoResolvedRatio, (r) => percent(r, 3)),
  ];
  const header = ['id', 'severity', 'service', 'status', 'opened', 'duration', 'title', 'resolution'];
  const rows = reports.map(({ incident, report }) => row(incident, report));
  const table = values.markdown === true ? markdownTable : textTable;
  const parts =
    values.markdown === true
      ? [`## ${title}`, '', table(summaryHeader, [summary]), '', table(header, rows)]
      : [
          title,
          '',
          table(summaryHeader, [summary]),
          '',
          rows.length === 0 ? 'No incidents.' : table(header, rows),
        ];
  io.stdout(`${parts.join('\n')}\n`);
  return EXIT.ok;
}

async function readLog(path: string): Promise<IncidentLogContents> {
  try {
    return await readIncidentLog(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`cannot read ${path}: no such file`);
    if (code === 'EISDIR') throw new CliError(`cannot read ${path}: it is a directory`);
    throw new CliError(
      `cannot read ${path}: ${oneLine(error instanceof Error ? error.message : String(error))}`,
    );
  }
}

// The recorder's metrics cover every service: for one service, they come from its incidents alone.
async function metricsOf(
  recorder: IncidentRecorder,
  incidents: readonly Incident[],
  window: { since: number; until: number },
  service: string | undefined,
): Promise<IncidentMetrics> {
  if (service === undefined) return recorder.metrics(window);
  const records = incidents.map((incident) => ({ type: 'snapshot' as const, incident }));
  const only = createIncidentRecorder({ service, store: createMemoryIncidentStore({ records }) });
  const metrics = only.metrics(window);
  await only.close();
  return metrics;
}

function row(incident: Incident, report: IncidentReport): string[] {
  return [
    report.incident_id,
    report.severity,
    report.service,
    incident.status,
    new Date(incident.openedAt)
      .toISOString()
      .replace('T', ' ')
      .replace(/:\d\d\.\d{3}Z$/, 'Z'),
    incident.status === 'resolved'
      ? formatDuration(report.duration_minutes * 60_000)
      : `${formatDuration(report.duration_minutes * 60_000)}+`,
    incident.title,
    report.resolution === '' ? '-' : report.resolution,
  ];
}

function orDash<T>(value: T | null, format: (value: T) => string): string {
  return value === null ? '-' : format(value);
}

function parseDate(text: string): number {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  const ms = month === null ? Date.parse(text) : Date.UTC(Number(month[1]), Number(month[2]) - 1, 15);
  if (Number.isNaN(ms))
    throw usageError(`--at ${JSON.stringify(text)}: expected a date such as 2026-03 or 2026-03-15`);
  return ms;
}
