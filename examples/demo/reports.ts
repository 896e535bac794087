// The end of the run: the monitor's health report (with predictions), the day's SLA report and one
// report per incident, each validated against the schema sre-kit exports for it before it is written,
// so what lands on disk is exactly what another agent can rely on.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  incidentReportSchema,
  monitorHealthReportSchema,
  slaReportSchema,
  type MonitorHealthReport,
  type MonitorQueries,
  type SlaReport,
} from 'sre-kit';

/** What was written, and the numbers worth printing. */
export interface WrittenReports {
  readonly healthPath: string;
  readonly slaPath: string;
  readonly incidentPaths: readonly string[];
  readonly health: MonitorHealthReport;
  readonly sla: SlaReport;
}

async function writeValidated<S extends z.ZodType>(
  path: string,
  schema: S,
  value: unknown,
  what: string,
): Promise<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Error(`the ${what} does not match its schema: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  return parsed.data;
}

/** Writes `health-report.json`, `sla-report.json` and `incident-<id>.json` files into `outDir`. */
export async function writeReports(monitor: MonitorQueries, outDir: string): Promise<WrittenReports> {
  await mkdir(outDir, { recursive: true });
  const healthPath = join(outDir, 'health-report.json');
  const health = await writeValidated(
    healthPath,
    monitorHealthReportSchema,
    await monitor.healthReport({ includePredictions: true }),
    'health report',
  );
  const slaPath = join(outDir, 'sla-report.json');
  const sla = await writeValidated(
    slaPath,
    slaReportSchema,
    monitor.slaReport({ period: 'day' }),
    'SLA report',
  );
  const incidentPaths: string[] = [];
  for (const incident of monitor.incidents.list()) {
    const path = join(outDir, `incident-${incident.id}.json`);
    await writeValidated(
      path,
      incidentReportSchema,
      monitor.incidentReport(incident.id),
      `${incident.id} report`,
    );
    incidentPaths.push(path);
  }
  return { healthPath, slaPath, incidentPaths, health, sla };
}
