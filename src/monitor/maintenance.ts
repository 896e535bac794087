import type { SourceState } from './component-status.js';
import { DAY_MS } from './uptime-days.js';

// Planned maintenance as the monitor sees it: windows the caller keeps (a list, a calendar), asked for
// on every read. A source named by a window in progress is `under_maintenance` (a status page's word
// for it; its uptime counts the time as maintenance, not downtime), and the windows in progress or
// starting within the look-ahead are listed for a status page's scheduled maintenances. The windows
// come from outside: a malformed one is skipped and counted, never thrown, and at most
// MAX_MAINTENANCE_WINDOWS are read.

/** A planned maintenance window. Its title and summary are shown on public status pages as written. */
export interface ScheduledMaintenance {
  /** Stable and unique among the windows: the scheduled maintenance's id on a status page. */
  readonly id: string;
  /** What users read, such as `Database upgrade`. */
  readonly title: string;
  /** One public line on what users may notice. */
  readonly summary?: string;
  /**
   * The monitor's sources it covers, by name (`db`) or key (`check:db`, `slo:availability`,
   * `breaker:payments`): each is `under_maintenance` while the window is in progress.
   */
  readonly components: readonly string[];
  /** Start, epoch ms (inclusive). */
  readonly startsAt: number;
  /** End, epoch ms (exclusive). */
  readonly endsAt: number;
}

/**
 * Where the monitor finds maintenance windows: asked for the windows that overlap `[fromMs, toMs)` on
 * every evaluation and every `status()`. Returning more (every window known) is fine: the monitor keeps
 * those that overlap. `{ windows: () => list }` is one.
 */
export interface ScheduledMaintenanceSource {
  windows(fromMs: number, toMs: number): readonly ScheduledMaintenance[];
}

/** A window in progress or coming up, as `monitor.status()` lists it. */
export interface ScheduledMaintenanceView extends ScheduledMaintenance {
  /** `in_progress` from `startsAt` until `endsAt`, `scheduled` before. */
  readonly phase: 'scheduled' | 'in_progress';
}

/** How far ahead `monitor.status()` lists scheduled maintenance: 7 days. */
export const MAINTENANCE_LOOKAHEAD_MS = 7 * DAY_MS;
/** Windows read from a source at most; the rest are skipped and counted. */
export const MAX_MAINTENANCE_WINDOWS = 100;

const MAX_TEXT = 500;

function isWindow(w: unknown): w is ScheduledMaintenance {
  if (typeof w !== 'object' || w === null) return false;
  const { id, title, summary, components, startsAt, endsAt } = w as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
  return (
    text(id) &&
    text(title) &&
    (summary === undefined || typeof summary === 'string') &&
    Array.isArray(components) &&
    components.length <= 512 &&
    components.every(text) &&
    Number.isFinite(startsAt) &&
    Number.isFinite(endsAt) &&
    (endsAt as number) > (startsAt as number)
  );
}

/** The windows of `source` overlapping `[now, now + lookahead)`, checked, ordered by start, and the count skipped. */
export function readMaintenance(
  source: ScheduledMaintenanceSource | undefined,
  now: number,
): { readonly views: readonly ScheduledMaintenanceView[]; readonly skipped: number } {
  if (source === undefined) return { views: [], skipped: 0 };
  const to = now + MAINTENANCE_LOOKAHEAD_MS;
  const given = source.windows(now, to);
  const views: ScheduledMaintenanceView[] = [];
  const ids = new Set<string>();
  let skipped = 0;
  for (const w of Array.isArray(given) ? (given as readonly unknown[]) : []) {
    if (!isWindow(w) || ids.has(w.id) || views.length >= MAX_MAINTENANCE_WINDOWS) {
      skipped++;
      continue;
    }
    if (w.endsAt <= now || w.startsAt >= to) continue;
    ids.add(w.id);
    views.push({
      id: w.id,
      title: w.title,
      ...(w.summary === undefined || w.summary === '' ? {} : { summary: w.summary.slice(0, MAX_TEXT) }),
      components: Object.freeze([...w.components]),
      startsAt: w.startsAt,
      endsAt: w.endsAt,
      phase: w.startsAt <= now ? 'in_progress' : 'scheduled',
    });
  }
  views.sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
  return { views, skipped };
}

/**
 * Each source a window in progress names turns `under_maintenance`; its own reason and detail move into
 * `detail`, for an internal page. A source no window names is unchanged.
 */
export function applyMaintenance(
  states: readonly SourceState[],
  views: readonly ScheduledMaintenanceView[],
): SourceState[] {
  const active = views.filter((v) => v.phase === 'in_progress');
  if (active.length === 0) return [...states];
  return states.map((state) => {
    const window = active.find(
      (v) =>
        v.components.includes(state.key) ||
        v.components.includes(state.name) ||
        (state.service !== undefined && v.components.includes(state.service)),
    );
    if (window === undefined) return state;
    const own = `${state.status}: ${state.reason}${state.detail === undefined ? '' : ` (${state.detail})`}`;
    return { ...state, status: 'under_maintenance', reason: `maintenance ${window.id}`, detail: own };
  });
}
