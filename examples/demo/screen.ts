// What the live view prints, as pure functions of plain readings, so the layout can be tested: every
// line fits an 80-column terminal, and on a terminal the whole screen fits its rows (80×24 at least)
// with the newest events filling what is left.

/** One SLO as the view shows it: its budget over its own window, with the counts behind the ratio. */
export interface SloReading {
  readonly name: string;
  /** The target ratio, e.g. 0.999. */
  readonly target: number;
  /** The SLO's window, ms (30 days by default). */
  readonly windowMs: number;
  /** Good and all events in that window (the seeded days and this run). */
  readonly good: number;
  readonly total: number;
  /** Bad share ÷ allowed bad share since the previous reading. */
  readonly burnNow: number;
  /** Severities of the burn-rate alerts firing now (`page`, `ticket`). */
  readonly firing: readonly string[];
}

/** Everything one status block shows. */
export interface StatusReading {
  /** Seconds since the run started. */
  readonly elapsedS: number;
  readonly perSecond: number;
  /** Errors ÷ requests since the previous reading. */
  readonly errorShare: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly inFlight: number;
  readonly shed: number;
  readonly slos: readonly SloReading[];
  readonly breakers: readonly { readonly name: string; readonly state: string }[];
  readonly openIncidents: readonly {
    readonly id: string;
    readonly severity: string;
    readonly title: string;
  }[];
}

/** The terminal the demo is designed for; wider terminals get the same layout. */
export const SCREEN = { columns: 80, rows: 24 } as const;
/** Open incidents listed one a line before the rest are summed up. */
const MAX_INCIDENT_LINES = 2;

const pct = (ratio: number, digits = 0): string => `${(ratio * 100).toFixed(digits)}%`;
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** 1234 → `1.2k`, 5.3 → `5.3`, 80000 → `80k`: short enough for a counts column. */
export function count(value: number): string {
  if (value >= 999_500) return `${trim(value / 1_000_000)}M`;
  if (value >= 999.5) return `${trim(value / 1_000)}k`;
  return trim(value);
}
const trim = (value: number): string => (value >= 100 ? value.toFixed(0) : String(Number(value.toFixed(1))));

/** 30 days → `30d`, 6 hours → `6h`, 90 s → `90s`. */
export function span(durationMs: number): string {
  const s = durationMs / 1_000;
  if (s >= 86_400 && s % 86_400 === 0) return `${s / 86_400}d`;
  if (s >= 3_600 && s % 3_600 === 0) return `${s / 3_600}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return `${trim(s)}s`;
}

/** Cuts `line` to `columns`, marking the cut. */
export function clip(line: string, columns: number): string {
  return line.length <= columns ? line : `${line.slice(0, columns - 1)}…`;
}

/**
 * Breaks `text` into lines of at most `columns`, at spaces where it can; `text`'s own indentation stays
 * on the first line and later lines get `indent`.
 */
export function wrap(text: string, columns: number, indent = '  '): string[] {
  const lead = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const empty = line.trim() === '';
    const next = empty ? `${line}${word}` : `${line} ${word}`;
    if (next.length <= columns || empty) line = next;
    else {
      lines.push(line);
      line = `${indent}${word}`;
    }
  }
  lines.push(line);
  return lines.map((l) => clip(l, columns));
}

/** `[ 12.3s]`: the prefix of every status block and event line. */
export const stamp = (elapsedS: number): string => `[${elapsedS.toFixed(1).padStart(5)}s]`;

/**
 * The lines printed once before the run (and kept on top of a terminal's screen): where the service
 * answers, what history the SLOs were seeded with, and which window each figure covers.
 */
export function headerLines(input: {
  readonly url: string;
  readonly durationS: number;
  readonly rate: number;
  readonly seededDays: number;
  /** Per SLO, the seeded counts restored before the first request. */
  readonly seeded: readonly { readonly name: string; readonly good: number; readonly total: number }[];
  readonly windowMs: number;
  readonly burnWindowS: number;
}): string[] {
  const seeded = input.seeded.map(
    (s) => `${s.name} ${count(s.total - s.good)} bad of ${count(s.total)} events`,
  );
  const window = span(input.windowMs);
  return [
    `sre-kit demo: service "shop", ${input.durationS}s at ${input.rate} req/s; Ctrl-C ends it early`,
    `  health ${input.url}/health  metrics ${input.url}/metrics`,
    `  also /readyz, /livez, and POST /agent for agent requests (JSON)`,
    `seeded: ${input.seededDays} simulated days of past traffic, restored into each SLO at start:`,
    `  ${seeded.join(', ')}`,
    `${window} budget: error budget left in the SLO's rolling ${window} window (the seeded days`,
    `  + this run), bad/allowed events; burn: bad ÷ allowed share over the last ${input.burnWindowS}s`,
  ].map((line) => clip(line, SCREEN.columns));
}

/** One status block: traffic, each SLO with its window and counts, load, breakers, open incidents. */
export function statusLines(reading: StatusReading): string[] {
  const { latencyMs: l } = reading;
  const lines = [
    `${stamp(reading.elapsedS)} ${reading.perSecond.toFixed(0).padStart(4)} req/s ` +
      `${pct(reading.errorShare, 1).padStart(6)} err  p50/95/99 ${ms(l.p50)}/${ms(l.p95)}/${ms(l.p99)} ms`,
  ];
  const nameWidth = Math.min(14, Math.max(...reading.slos.map((s) => s.name.length)));
  for (const slo of reading.slos) {
    const bad = slo.total - slo.good;
    const allowed = slo.total * (1 - slo.target);
    const remaining = allowed === 0 ? 1 : 1 - bad / allowed;
    const alerts = [...new Set(slo.firing)].map((s) => s.toUpperCase()).join('+');
    const target = pct(slo.target, slo.target > 0.99 ? 1 : 0).padStart(5);
    // Past its budget the counts say by how much; a percentage would only grow wider.
    const left = remaining < 0 ? 'overspent' : `${pct(remaining).padStart(4)} left`;
    const burn = slo.burnNow < 100 ? slo.burnNow.toFixed(1).padStart(4) : count(slo.burnNow);
    lines.push(
      `  ${slo.name.slice(0, nameWidth).padEnd(nameWidth)} ${target}  ${span(slo.windowMs)} budget ${left},` +
        ` ${count(bad)}/${count(allowed)} bad  burn ${burn}${alerts === '' ? '' : ` ${alerts}`}`,
    );
  }
  const breakers = reading.breakers.map((b) => `${b.name} ${b.state}`).join(', ');
  const open = reading.openIncidents;
  lines.push(
    `  in-flight ${reading.inFlight}  shed ${reading.shed}  breakers ${breakers || 'none'}` +
      `  open incidents ${open.length === 0 ? 'none' : open.length}`,
  );
  for (const incident of open.slice(0, MAX_INCIDENT_LINES))
    lines.push(`    ${incident.id} ${incident.severity} ${incident.title}`);
  if (open.length > MAX_INCIDENT_LINES) lines.push(`    and ${open.length - MAX_INCIDENT_LINES} more`);
  return lines.map((line) => clip(line, SCREEN.columns));
}

/**
 * A whole terminal screen: the header, the status block and as many of the latest events as the rows
 * leave room for, each line clipped to the columns. One row stays free for the cursor, so the screen
 * never scrolls.
 */
export function screenLines(
  header: readonly string[],
  status: readonly string[],
  events: readonly string[],
  size: { readonly columns: number; readonly rows: number } = SCREEN,
): string[] {
  const top = [...header, '', ...status, '', 'latest events:'];
  const room = Math.max(0, size.rows - 1 - top.length);
  const lines = [...top, ...(room === 0 ? [] : events.slice(-room))];
  return lines.slice(0, size.rows - 1).map((line) => clip(line, size.columns));
}
