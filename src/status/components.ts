import {
  worseStatus,
  type ComponentStatus,
  type MonitorStatus,
  type StatusSource,
  type UptimeDay,
  type UptimeReport,
} from '../monitor/index.js';
import type { ParsedStatusPageOptions } from './options.js';

// The monitor's sources, as the components a page shows: renamed, merged by public name, hidden,
// grouped and ordered as the options say, each with its daily uptime.
//
// Uptime of a day: (observed − major outage − 0.3 × partial outage) / observed, as Atlassian Statuspage
// weighs a partial outage; degraded performance and maintenance are not downtime. A component of
// several sources (or a group) takes, for each figure of a day, the largest among them: the worst
// member's day, a lower bound on the downtime when members failed at different times.

/** Share of a partial outage counted as downtime. */
export const PARTIAL_OUTAGE_WEIGHT = 0.3;

/** One day of a component's uptime bar. */
export interface DayBar extends UptimeDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** The day's uptime ratio; `null` when the day was not observed. */
  readonly uptime: number | null;
  /** The worst status seen that day; `no_data` when not observed. */
  readonly worst: ComponentStatus | 'no_data';
}

/** Uptime over the days shown, with its numerator and denominator. */
export interface UptimeRatio {
  readonly upMs: number;
  readonly observedMs: number;
  /** `upMs / observedMs`; `null` when nothing was observed. */
  readonly ratio: number | null;
}

interface Shown {
  /** URL-safe, unique on the page: the badge's `<id>.svg`. */
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: ComponentStatus;
  /** When its status last changed (wall ms). */
  readonly updatedAt: number;
  /** 1-based, among its siblings. */
  readonly position: number;
  readonly onlyShowIfDegraded: boolean;
  readonly days: readonly DayBar[];
  readonly uptime: UptimeRatio;
}

/** A component of the page. */
export interface PageComponent extends Shown {
  readonly group: false;
  /** The group it belongs to. */
  readonly groupId: string | null;
  /** The monitor's sources it stands for. */
  readonly sources: readonly StatusSource[];
}

/** A group of components. */
export interface PageGroup extends Shown {
  readonly group: true;
  readonly members: readonly PageComponent[];
}

/** What the page lists at its top level, in order. */
export type PageEntry = PageComponent | PageGroup;

/** The public component a source belongs to, or undefined when hidden. */
export function publicNameOf(
  source: Pick<StatusSource, 'key' | 'name' | 'service'>,
  options: ParsedStatusPageOptions,
) {
  const { names, hide } = options.components;
  const { key, name, service } = source;
  if (hide.includes(key) || hide.includes(name) || (service !== undefined && hide.includes(service)))
    return undefined;
  // A tracked dependency's SLOs and breaker are the dependency's component unless renamed one by one.
  const fallback = service === undefined ? name : (names[service] ?? service);
  return names[key] ?? names[name] ?? fallback;
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s === '' ? 'component' : s;
}

function dayBar(date: string, day: UptimeDay): DayBar {
  const down = day.majorMs + PARTIAL_OUTAGE_WEIGHT * day.partialMs;
  const worst: DayBar['worst'] =
    day.observedMs <= 0
      ? 'no_data'
      : day.majorMs > 0
        ? 'major_outage'
        : day.partialMs > 0
          ? 'partial_outage'
          : day.degradedMs > 0
            ? 'degraded_performance'
            : day.maintenanceMs > 0
              ? 'under_maintenance'
              : 'operational';
  return {
    date,
    ...day,
    uptime: day.observedMs > 0 ? Math.max(0, (day.observedMs - down) / day.observedMs) : null,
    worst,
  };
}

const EMPTY_DAY: UptimeDay = { observedMs: 0, degradedMs: 0, partialMs: 0, majorMs: 0, maintenanceMs: 0 };

function mergeDays(a: UptimeDay, b: UptimeDay): UptimeDay {
  return {
    observedMs: Math.max(a.observedMs, b.observedMs),
    degradedMs: Math.max(a.degradedMs, b.degradedMs),
    partialMs: Math.max(a.partialMs, b.partialMs),
    majorMs: Math.max(a.majorMs, b.majorMs),
    maintenanceMs: Math.max(a.maintenanceMs, b.maintenanceMs),
  };
}

function barsOf(keys: readonly string[], uptime: UptimeReport): DayBar[] {
  return uptime.days.map((d) => {
    let day = EMPTY_DAY;
    for (const key of keys) day = mergeDays(day, d.sources.get(key) ?? EMPTY_DAY);
    return dayBar(d.date, day);
  });
}

function ratioOf(days: readonly DayBar[]): UptimeRatio {
  let upMs = 0;
  let observedMs = 0;
  for (const d of days) {
    observedMs += d.observedMs;
    upMs += d.observedMs * (d.uptime ?? 0);
  }
  return { upMs, observedMs, ratio: observedMs > 0 ? upMs / observedMs : null };
}

/** The page's entries, in display order, from the monitor's state and uptime. */
export function pageEntries(
  status: MonitorStatus,
  uptime: UptimeReport,
  options: ParsedStatusPageOptions,
): PageEntry[] {
  const { grouping, order, onlyShowIfDegraded, descriptions } = options.components;
  // Sources by public name, in the monitor's order.
  const byName = new Map<string, StatusSource[]>();
  for (const source of status.sources) {
    const name = publicNameOf(source, options);
    if (name === undefined) continue;
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [source]);
    else list.push(source);
  }
  const ids = new Set<string>();
  const idFor = (name: string): string => {
    const base = slug(name);
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const shared = (name: string, statusOf: ComponentStatus, updatedAt: number, days: DayBar[]) => ({
    id: idFor(name),
    name,
    description: descriptions[name] ?? null,
    status: statusOf,
    updatedAt,
    onlyShowIfDegraded: onlyShowIfDegraded.includes(name),
    days,
    uptime: ratioOf(days),
  });
  const components = new Map<string, Omit<PageComponent, 'position' | 'groupId'>>();
  for (const [name, sources] of byName) {
    let worst: ComponentStatus = 'operational';
    let updatedAt = 0;
    for (const s of sources) {
      worst = worseStatus(worst, s.status);
      updatedAt = Math.max(updatedAt, s.since);
    }
    const days = barsOf(
      sources.map((s) => s.key),
      uptime,
    );
    components.set(name, { ...shared(name, worst, updatedAt, days), group: false, sources });
  }

  // Top level: groups where their first member would stand, other components in the monitor's order.
  const groupOf = new Map<string, string>();
  for (const [group, members] of Object.entries(grouping))
    for (const member of members) if (components.has(member)) groupOf.set(member, group);
  const top: string[] = [];
  for (const name of components.keys()) {
    const entry = groupOf.get(name) ?? name;
    if (!top.includes(entry)) top.push(entry);
  }
  const ranked = [...order.filter((name) => top.includes(name)), ...top.filter((n) => !order.includes(n))];

  return ranked.map((name, index): PageEntry => {
    const position = index + 1;
    const single = components.get(name);
    if (single !== undefined && !groupOf.has(name)) return { ...single, position, groupId: null };
    const members = (grouping[name] ?? []).map((m) => components.get(m)).filter((c) => c !== undefined);
    let worst: ComponentStatus = 'operational';
    let updatedAt = 0;
    let days: UptimeDay[] = uptime.days.map(() => EMPTY_DAY);
    for (const c of members) {
      worst = worseStatus(worst, c.status);
      updatedAt = Math.max(updatedAt, c.updatedAt);
      days = days.map((d, i) => mergeDays(d, c.days[i] ?? EMPTY_DAY));
    }
    const bars = days.map((d, i) => dayBar(uptime.days[i]?.date ?? '', d));
    const group = shared(name, worst, updatedAt, bars);
    const children = members.map((c, i): PageComponent => ({ ...c, position: i + 1, groupId: group.id }));
    return { ...group, position, group: true, members: children };
  });
}

/** Every component of the page, groups' members included, in display order. */
export function allComponents(entries: readonly PageEntry[]): PageComponent[] {
  return entries.flatMap((e) => (e.group ? [...e.members] : [e]));
}
