import type {
  CapacityForecast,
  DeploymentReadiness,
  MonitorHealthReport,
  PerformanceAnalysis,
} from '../report-schemas.js';
import type { IncidentReport } from '../../incidents/index.js';
import type { AgentResponse, IncidentActionResult, SloStatusReport } from './response-schemas.js';

// A few sentences an LLM reads before (or instead of) the JSON: the verdict first, then the numbers it
// rests on, each ratio with its parts. An action without a summary here still gets one line; its JSON
// follows (an MCP tool result, an A2A message) either way.

const MAX_LISTED = 5;

/** The short text summary of one protocol response: what an LLM reads before the JSON. */
export function summarizeAgentResponse(response: AgentResponse): string {
  if (!response.ok) return `Error ${response.error.code}: ${response.error.message}`;
  const result: unknown = response.result;
  switch (response.action) {
    case 'health_check':
      return health(result as MonitorHealthReport);
    case 'deployment_readiness':
      return readiness(result as DeploymentReadiness);
    case 'slo_status':
      return slos((result as { slos: SloStatusReport[] }).slos);
    case 'incident_report':
      return incidents((result as { incidents: IncidentReport[] }).incidents);
    case 'analyze_performance':
      return performance(result as PerformanceAnalysis);
    case 'capacity_plan':
      return capacity(result as CapacityForecast);
    case 'acknowledge_incident':
    case 'resolve_incident':
    case 'add_incident_note':
      return incidentAction(result as IncidentActionResult);
    default:
      return `${String((response as { action: string }).action)} answered; the result is in the JSON.`;
  }
}

function percent(value: number): string {
  return `${Number(value.toFixed(3))}%`;
}

function list(items: readonly string[]): string {
  // Items are often sentences; the summary adds its own punctuation.
  const shown = items
    .slice(0, MAX_LISTED)
    .map((item) => item.replace(/\.+$/, ''))
    .join('; ');
  return items.length > MAX_LISTED ? `${shown}; and ${items.length - MAX_LISTED} more` : shown;
}

function health(report: MonitorHealthReport): string {
  const sla = report.sla_compliance;
  const services = Object.entries(report.services).map(([name, service]) => `${name} ${service.status}`);
  const open = report.openIncidents.map((i) => `${i.id} (${i.severity}) ${i.title}`);
  return [
    `${report.service} is ${report.status}.`,
    sla === undefined
      ? ''
      : `Availability ${percent(sla.availability)}, error rate ${percent(sla.error_rate)}, p95 ${sla.response_time_p95} ms.`,
    services.length > 0 ? `Services: ${list(services)}.` : 'No health checks registered.',
    open.length > 0 ? `Open incidents: ${list(open)}.` : 'No open incidents.',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

function readiness(verdict: DeploymentReadiness): string {
  return verdict.ready
    ? `Ready to deploy (checked ${verdict.checkedAt}).`
    : `Not ready to deploy: ${list(verdict.reasons)}.`;
}

function slos(statuses: readonly SloStatusReport[]): string {
  if (statuses.length === 0) return 'No SLOs are tracked.';
  const lines = statuses.map((s) => {
    const sli =
      s.sli === null ? 'no events yet' : `SLI ${percent(s.sli * 100)} (${s.good} good of ${s.total})`;
    const firing = s.alerts.filter((a) => a.firing).map((a) => a.severity);
    const alerts = firing.length > 0 ? `, ${firing.join(' and ')} alert firing` : '';
    const remaining = `${percent(s.budget.remaining * 100)} of the error budget left`;
    return `${s.name}: target ${percent(s.target * 100)}, ${sli}, ${remaining}${alerts}`;
  });
  return `${statuses.length} SLO${statuses.length === 1 ? '' : 's'}: ${list(lines)}.`;
}

function incidents(reports: readonly IncidentReport[]): string {
  if (reports.length === 0) return 'No incidents.';
  const lines = reports.map((r) => {
    const impact = r.impact === '' ? '' : `, ${r.impact}`;
    const resolution = r.resolution === '' ? '' : `, resolved: ${r.resolution}`;
    return `${r.incident_id} (${r.severity}, ${r.service}${impact}, ${r.duration_minutes} min${resolution})`;
  });
  return `${reports.length} incident${reports.length === 1 ? '' : 's'}: ${list(lines)}.`;
}

function performance(analysis: PerformanceAnalysis): string {
  const m = analysis.metrics;
  const p95 = m.p95Ms === null ? 'no latency data' : `p95 ${m.p95Ms} ms`;
  const bottlenecks = analysis.bottlenecks.map((b) => `${b.route} p95 ${b.p95Ms} ms`);
  return [
    `${analysis.timeframe}: ${m.requests} requests, ${m.errors} errors (${percent(m.errorRate * 100)}), ${p95}.`,
    bottlenecks.length > 0 ? `Bottlenecks: ${list(bottlenecks)}.` : 'No bottlenecks.',
    analysis.immediate.length > 0 ? `Do now: ${list(analysis.immediate)}.` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

function capacity(forecast: CapacityForecast): string {
  const stated = forecast.signals.filter((s) => s.status === 'ok').length;
  const atRisk = forecast.atRisk.length > 0 ? `At risk: ${list(forecast.atRisk)}.` : 'Nothing at risk.';
  return `${atRisk} ${stated} of ${forecast.signals.length} signals have enough data for a forecast.`;
}

function incidentAction(result: IncidentActionResult): string {
  const what = result.entry === null ? 'unchanged' : `${result.entry.kind} by ${result.entry.by}`;
  return `${result.incident_id} (${result.severity}, ${result.title}) is ${result.status}: ${what}.`;
}
