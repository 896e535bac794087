import type { TimelineEntry } from '../incidents/index.js';
import {
  worseStatus,
  type ComponentStatus,
  type IncidentPhase,
  type IncidentView,
  type LatencySpan,
  type ScheduledMaintenanceView,
  type MonitorStatus,
  type UptimeReport,
} from '../monitor/index.js';
import {
  allComponents,
  pageEntries,
  publicNameOf,
  type PageComponent,
  type PageEntry,
} from './components.js';
import type { ParsedStatusPageOptions } from './options.js';
import {
  IMPACT,
  IMPACT_STATUS,
  INDICATOR,
  phaseBody,
  publicWording,
  sourceKeyOf,
  type IncidentImpact,
  type PageIndicator,
} from './public-text.js';

// Everything one answer of the page shows, read once from the monitor: the HTML, the JSON and the
// badges render this model and nothing else, so they never disagree.

/** One public update of an incident. */
export interface PageIncidentUpdate {
  readonly status: IncidentPhase;
  readonly body: string;
  /** Wall ms. */
  readonly at: number;
}

/** An open incident as the page shows it. */
export interface PageIncident {
  readonly id: string;
  /** The public title (the incident's own with `exposeDetails`). */
  readonly title: string;
  readonly summary: string;
  readonly phase: IncidentPhase;
  readonly impact: IncidentImpact;
  readonly openedAt: number;
  readonly updatedAt: number;
  readonly monitoringAt: number | null;
  /** The components it affects. */
  readonly components: readonly PageComponent[];
  /** Newest first. */
  readonly updates: readonly PageIncidentUpdate[];
}

/** A maintenance window in progress or scheduled, as the page shows it (its text is public as written). */
export interface PageMaintenance {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly phase: ScheduledMaintenanceView['phase'];
  readonly startsAt: number;
  readonly endsAt: number;
  /** The shown components whose sources it names. */
  readonly components: readonly PageComponent[];
}

/** What one answer shows. */
export interface PageModel {
  readonly title: string;
  readonly url: string;
  /** The latest change of anything shown (wall ms; 0 when nothing ever changed). */
  readonly updatedAt: number;
  readonly evaluatedAt: number | null;
  /** The worst of every component and every open incident's impact. */
  readonly status: ComponentStatus;
  readonly indicator: PageIndicator;
  readonly description: string;
  readonly entries: readonly PageEntry[];
  readonly incidents: readonly PageIncident[];
  /** In progress first, then scheduled, each by start. */
  readonly maintenances: readonly PageMaintenance[];
  readonly uptime: UptimeReport;
  readonly exposeDetails: boolean;
}

const TIMELINE_PHASE: Partial<Record<TimelineEntry['kind'], IncidentPhase>> = {
  opened: 'investigating',
  reopened: 'investigating',
  acknowledged: 'identified',
};

// The public updates: investigating at opening (and reopening), identified when acknowledged or when
// its root cause was first written, monitoring while its signal is clear. Operators' text only with
// exposeDetails.
function updatesOf(view: IncidentView, summary: string, exposeDetails: boolean): PageIncidentUpdate[] {
  const out: PageIncidentUpdate[] = [];
  if (exposeDetails) {
    let phase: IncidentPhase = 'investigating';
    for (const entry of view.incident.timeline) {
      phase = TIMELINE_PHASE[entry.kind] ?? phase;
      out.push({ status: phase, body: entry.text, at: entry.at });
    }
  } else {
    let identified = false;
    for (const entry of view.incident.timeline) {
      const phase = TIMELINE_PHASE[entry.kind];
      if (phase === 'investigating') {
        out.push({ status: phase, body: phaseBody(phase, summary), at: entry.at });
        identified = false;
      } else if (
        !identified &&
        (phase === 'identified' || (entry.kind === 'updated' && view.incident.rootCause !== undefined))
      ) {
        out.push({ status: 'identified', body: phaseBody('identified', summary), at: entry.at });
        identified = true;
      }
    }
  }
  if (view.phase === 'monitoring' && view.monitoringSince !== undefined)
    out.push({
      status: 'monitoring',
      body: phaseBody('monitoring', summary),
      at: view.monitoringSince,
    });
  // Newest first; of two at one instant, the later written first.
  return out
    .map((update, i) => ({ update, i }))
    .sort((a, b) => b.update.at - a.update.at || b.i - a.i)
    .map(({ update }) => update);
}

/** Builds the model of one answer. */
export function pageModel(
  status: MonitorStatus,
  uptime: UptimeReport,
  options: ParsedStatusPageOptions,
): PageModel {
  const entries = pageEntries(status, uptime, options);
  const components = allComponents(entries);
  const byName = new Map(components.map((c) => [c.name, c]));
  const sources = new Map(status.sources.map((s) => [s.key, s]));
  let worst: ComponentStatus = 'operational';
  let updatedAt = 0;
  for (const entry of entries) {
    worst = worseStatus(worst, entry.status);
    updatedAt = Math.max(updatedAt, entry.updatedAt);
  }
  const incidents = status.incidents.map((view): PageIncident => {
    const key = sourceKeyOf(view.incident.dedupKey);
    const source = key === undefined ? undefined : sources.get(key);
    const name = source === undefined ? undefined : publicNameOf(source, options);
    const component = name === undefined ? undefined : byName.get(name);
    const wording = publicWording(view, component?.name, source?.objective, options.title);
    const title = options.exposeDetails ? view.incident.title : wording.title;
    const summary =
      options.exposeDetails && view.incident.impact !== '' ? view.incident.impact : wording.summary;
    const updates = updatesOf(view, wording.summary, options.exposeDetails);
    const impact = IMPACT[view.incident.severity];
    worst = worseStatus(worst, IMPACT_STATUS[impact]);
    const changed = Math.max(view.incident.openedAt, updates[0]?.at ?? 0);
    updatedAt = Math.max(updatedAt, changed);
    return {
      id: view.incident.id,
      title,
      summary,
      phase: view.phase,
      impact,
      openedAt: view.incident.openedAt,
      updatedAt: changed,
      monitoringAt: view.monitoringSince ?? null,
      components: component === undefined ? [] : [component],
      updates,
    };
  });
  const maintenances = status.maintenance.map((window): PageMaintenance => {
    const named = new Set(window.components);
    const affected: PageComponent[] = [];
    for (const source of status.sources) {
      const byService = source.service !== undefined && named.has(source.service);
      if (!named.has(source.key) && !named.has(source.name) && !byService) continue;
      const name = publicNameOf(source, options);
      const component = name === undefined ? undefined : byName.get(name);
      if (component !== undefined && !affected.includes(component)) affected.push(component);
    }
    const what = affected.length === 0 ? options.title : affected.map((c) => c.name).join(', ');
    return {
      id: window.id,
      title: window.title,
      summary: window.summary ?? `Planned maintenance of ${what}.`,
      phase: window.phase,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      components: affected,
    };
  });
  maintenances.sort((a, b) => (a.phase === b.phase ? 0 : a.phase === 'in_progress' ? -1 : 1));
  const { indicator, description } = INDICATOR[worst];
  return {
    title: options.title,
    url: options.url ?? options.path,
    updatedAt,
    evaluatedAt: status.evaluatedAt,
    status: worst,
    indicator,
    description,
    entries,
    incidents,
    maintenances,
    uptime,
    exposeDetails: options.exposeDetails,
  };
}

/** Latency of a span in the JSON's units. */
export function latencyJson(span: LatencySpan): {
  count: number;
  p50_ms: number | null;
  p99_ms: number | null;
} {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return { count: span.count, p50_ms: round(span.p50Ms), p99_ms: round(span.p99Ms) };
}
