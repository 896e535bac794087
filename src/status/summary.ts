import { allComponents, PARTIAL_OUTAGE_WEIGHT, type PageComponent, type PageEntry } from './components.js';
import { latencyJson, type PageModel } from './model.js';
import type { StatusSummary } from './summary-schema.js';

// The page model as Atlassian Statuspage's `/api/v2/summary.json`, plus `x_sre` (see
// summary-schema.ts). Times are ISO 8601 in UTC; a time the monitor never saw change is the epoch.

type SummaryComponent = StatusSummary['components'][number];

const iso = (ms: number): string => new Date(ms).toISOString();

function pageId(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'status'
  );
}

function componentJson(
  entry: PageEntry | PageComponent,
  page: string,
  groupId: string | null,
  createdAt: number,
): SummaryComponent {
  const json: SummaryComponent = {
    id: entry.id,
    name: entry.name,
    status: entry.status,
    created_at: iso(createdAt),
    updated_at: iso(entry.updatedAt),
    position: entry.position,
    description: entry.description,
    showcase: true,
    start_date: null,
    group_id: groupId,
    page_id: page,
    group: entry.group,
    only_show_if_degraded: entry.onlyShowIfDegraded,
  };
  if (entry.group) json.components = entry.members.map((m) => m.id);
  return json;
}

/** `summary.json` of one answer. */
export function summaryJson(model: PageModel): StatusSummary {
  const page = pageId(model.title);
  // The oldest day shown is when the page's components are first known to have existed.
  const createdAt = model.uptime.days[0]?.startMs ?? 0;
  const components: SummaryComponent[] = [];
  for (const entry of model.entries) {
    components.push(componentJson(entry, page, null, createdAt));
    if (entry.group)
      for (const m of entry.members) components.push(componentJson(m, page, entry.id, createdAt));
  }
  const byId = new Map(components.map((c) => [c.id, c]));
  const incidents: StatusSummary['incidents'] = model.incidents.map((incident) => {
    const affected = incident.components.map((c) => byId.get(c.id)).filter((c) => c !== undefined);
    return {
      id: incident.id,
      name: incident.title,
      status: incident.phase,
      created_at: iso(incident.openedAt),
      updated_at: iso(incident.updatedAt),
      monitoring_at: incident.monitoringAt === null ? null : iso(incident.monitoringAt),
      resolved_at: null,
      impact: incident.impact,
      shortlink: `${model.url}#${incident.id}`,
      started_at: iso(incident.openedAt),
      page_id: page,
      incident_updates: incident.updates.map((update, i) => ({
        id: `${incident.id}-${incident.updates.length - i}`,
        status: update.status,
        body: update.body,
        incident_id: incident.id,
        created_at: iso(update.at),
        updated_at: iso(update.at),
        display_at: iso(update.at),
        affected_components: affected.map((c) => ({
          code: c.id,
          name: c.name,
          old_status: 'operational' as const,
          new_status: c.status,
        })),
        deliver_notifications: false,
        custom_tweet: null,
        tweet_id: null,
      })),
      components: affected,
    };
  });
  const scheduled: StatusSummary['scheduled_maintenances'] = model.maintenances.map((m) => {
    const affected = m.components.map((c) => byId.get(c.id)).filter((c) => c !== undefined);
    return {
      id: m.id,
      name: m.title,
      status: m.phase,
      // When it was planned is the caller's; the page knows its start, so its times are the start.
      created_at: iso(m.startsAt),
      updated_at: iso(m.startsAt),
      monitoring_at: null,
      resolved_at: null,
      impact: 'maintenance',
      shortlink: `${model.url}#m-${m.id}`,
      started_at: iso(m.startsAt),
      page_id: page,
      incident_updates: [
        {
          id: `${m.id}-1`,
          status: m.phase,
          body: m.summary,
          incident_id: m.id,
          created_at: iso(m.startsAt),
          updated_at: iso(m.startsAt),
          display_at: iso(m.startsAt),
          affected_components: affected.map((c) => ({
            code: c.id,
            name: c.name,
            old_status: 'operational' as const,
            new_status: 'under_maintenance' as const,
          })),
          deliver_notifications: false,
          custom_tweet: null,
          tweet_id: null,
        },
      ],
      components: affected,
      scheduled_for: iso(m.startsAt),
      scheduled_until: iso(m.endsAt),
    };
  });
  const shown = allComponents(model.entries);
  return {
    page: {
      id: page,
      name: model.title,
      url: model.url,
      time_zone: 'Etc/UTC',
      updated_at: iso(model.updatedAt),
    },
    components,
    incidents,
    scheduled_maintenances: scheduled,
    status: { indicator: model.indicator, description: model.description },
    x_sre: {
      evaluated_at: model.evaluatedAt === null ? null : iso(model.evaluatedAt),
      uptime_days: model.uptime.days.length,
      uptime_formula: `(observed - major_outage - ${PARTIAL_OUTAGE_WEIGHT} * partial_outage) / observed`,
      components: shown.map((c) => ({
        id: c.id,
        name: c.name,
        uptime: { ratio: c.uptime.ratio, up_ms: c.uptime.upMs, observed_ms: c.uptime.observedMs },
        days: c.days.map((d) => ({
          date: d.date,
          uptime: d.uptime,
          observed_ms: d.observedMs,
          degraded_ms: d.degradedMs,
          partial_ms: d.partialMs,
          major_ms: d.majorMs,
          maintenance_ms: d.maintenanceMs,
        })),
        ...(model.exposeDetails
          ? {
              sources: c.sources.map((s) => ({
                key: s.key,
                status: s.status,
                since: iso(s.since),
                reason: s.reason,
                ...(s.detail === undefined ? {} : { detail: s.detail }),
              })),
            }
          : {}),
      })),
      latency: {
        last_24h: latencyJson(model.uptime.last24h),
        days: model.uptime.days.flatMap((d) =>
          d.latency === null ? [] : [{ date: d.date, ...latencyJson(d.latency) }],
        ),
      },
    },
  };
}
