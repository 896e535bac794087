import type { Incident, IncidentRecorder, IncidentReport } from '../incidents/index.js';
import type { MonitorHealthReport, SlaPeriod, SlaReport } from '../monitor/index.js';

// The monitor's standing answers as MCP resources: what an agent reads for context rather than asks
// for. URIs are `sre://<service>/…`, so one client connected to several services keeps them apart.
// Reading a resource never changes anything (the health report runs the checks, as every health
// report does, and no more).

/** What the MCP server reads resources from: `createMonitor()` returns one. */
export interface McpResourceSource {
  readonly service: string;
  readonly incidents: IncidentRecorder;
  healthReport(options?: { readonly includePredictions?: boolean }): Promise<MonitorHealthReport>;
  slaReport(options: { readonly period: SlaPeriod }): SlaReport;
  incidentReport(id: string): IncidentReport;
}

/** One resource as `resources/list` shows it. */
export interface McpResourceEntry {
  readonly uri: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly mimeType: 'application/json';
}

/** Most resolved incidents listed besides the open ones; older ones stay readable by their URI. */
const RECENT_RESOLVED = 20;
const JSON_TYPE = 'application/json';

/** The URIs of one service's resources. */
export class ResourceUris {
  readonly base: string;
  readonly health: string;
  readonly sla: string;
  readonly openIncidents: string;
  readonly incidentTemplate: string;

  constructor(service: string) {
    this.base = `sre://${encodeURIComponent(service)}`;
    this.health = `${this.base}/health`;
    this.sla = `${this.base}/sla/day`;
    this.openIncidents = `${this.base}/incidents/open`;
    this.incidentTemplate = `${this.base}/incidents/{id}`;
  }

  incident(id: string): string {
    return `${this.base}/incidents/${encodeURIComponent(id)}`;
  }

  /** The incident id an incident URI names (not `open`), or undefined. */
  incidentId(uri: string): string | undefined {
    const prefix = `${this.base}/incidents/`;
    if (!uri.startsWith(prefix)) return undefined;
    const rest = uri.slice(prefix.length);
    if (rest === 'open' || rest === '' || rest.includes('/')) return undefined;
    try {
      return decodeURIComponent(rest);
    } catch {
      return undefined;
    }
  }
}

/** The resources listed: the three standing reports, then every open and the recently resolved incidents. */
export async function listResources(
  source: McpResourceSource,
  uris: ResourceUris,
): Promise<McpResourceEntry[]> {
  await source.incidents.ready();
  const service = source.service;
  const entries: McpResourceEntry[] = [
    entry(
      uris.health,
      'health',
      `${service} health report`,
      'The current service health report: status, dependencies, SLA compliance, SLOs, breakers, open incidents.',
    ),
    entry(
      uris.sla,
      'sla-day',
      `${service} SLA report (today)`,
      "Today's SLA report: each SLO's objective against what was achieved, incidents and MTTR.",
    ),
    entry(
      uris.openIncidents,
      'open-incidents',
      `${service} open incidents`,
      'Every open or acknowledged incident with its status, severity and timeline.',
    ),
  ];
  const open = source.incidents.list({ status: ['open', 'acknowledged'] });
  const resolved = source.incidents.list({ status: 'resolved' }).slice(-RECENT_RESOLVED).reverse();
  for (const incident of [...open, ...resolved])
    entries.push(
      entry(
        uris.incident(incident.id),
        incident.id,
        `${incident.id}: ${incident.title}`,
        `${incident.severity} incident, ${incident.status}: its report and timeline.`,
      ),
    );
  return entries;
}

function entry(uri: string, name: string, title: string, description: string): McpResourceEntry {
  return { uri, name, title, description, mimeType: JSON_TYPE };
}

/** The JSON text of the resource at `uri`, or undefined when there is none. */
export async function readResource(
  source: McpResourceSource,
  uris: ResourceUris,
  uri: string,
): Promise<string | undefined> {
  if (uri === uris.health) return json(await source.healthReport({ includePredictions: true }));
  if (uri === uris.sla) return json(source.slaReport({ period: 'day' }));
  await source.incidents.ready();
  if (uri === uris.openIncidents)
    return json({
      incidents: source.incidents.list({ status: ['open', 'acknowledged'] }).map(describeIncident),
    });
  const id = uris.incidentId(uri);
  if (id === undefined) return undefined;
  const incident = source.incidents.get(id);
  if (incident === undefined) return undefined;
  return json({ report: source.incidentReport(id), ...describeIncident(incident) });
}

/** An incident as plain JSON data, times as ISO-8601. */
function describeIncident(incident: Incident) {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    service: incident.service,
    impact: incident.impact,
    openedAt: iso(incident.openedAt),
    acknowledgedBy: incident.acknowledgedBy ?? null,
    resolvedAt: iso(incident.resolvedAt),
    occurrences: incident.occurrences,
    timeline: incident.timeline.map((e) => ({ at: iso(e.at), kind: e.kind, text: e.text, by: e.by ?? null })),
    timelineDropped: incident.timelineDropped,
  };
}

function json(value: unknown): string {
  return JSON.stringify(value);
}
