import type { Severity } from '../incidents/index.js';
import type { ComponentStatus, IncidentPhase, IncidentView } from '../monitor/index.js';

// What the public reads. An incident's own title and impact are written for operators: an automatic
// one carries the failing check's output (`ECONNREFUSED 10.0.0.12:5432 on db-primary.internal`). The
// page words each incident from its source instead (which component, what kind of problem), and says
// only which phase it is in; the operators' text is shown with `exposeDetails` only. A manual
// incident is worded from its labels `public_title` and `public_summary` when it has them.

/** The label a component status is shown with. */
export const STATUS_LABEL: Readonly<Record<ComponentStatus, string>> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

/** Statuspage's page indicator. */
export type PageIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

/** The page indicator of the worst component status, and its description. */
export const INDICATOR: Readonly<
  Record<ComponentStatus, { readonly indicator: PageIndicator; readonly description: string }>
> = {
  operational: { indicator: 'none', description: 'All Systems Operational' },
  under_maintenance: { indicator: 'maintenance', description: 'Service Under Maintenance' },
  degraded_performance: { indicator: 'minor', description: 'Partially Degraded Service' },
  partial_outage: { indicator: 'major', description: 'Partial System Outage' },
  major_outage: { indicator: 'critical', description: 'Major System Outage' },
};

/** Statuspage's incident impact. */
export type IncidentImpact = 'none' | 'minor' | 'major' | 'critical';

/** An incident's impact from its severity: P1 critical, P2 major, P3 minor, P4 and P5 none. */
export const IMPACT: Readonly<Record<Severity, IncidentImpact>> = {
  P1: 'critical',
  P2: 'major',
  P3: 'minor',
  P4: 'none',
  P5: 'none',
};

/** The component status an incident's impact stands for, for the page indicator. */
export const IMPACT_STATUS: Readonly<Record<IncidentImpact, ComponentStatus>> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

/** The source key (`check:db`, `slo:availability`, `breaker:payments`) an incident's dedup key names. */
export function sourceKeyOf(dedupKey: string | undefined): string | undefined {
  if (dedupKey === undefined) return undefined;
  const slo = /^slo:(.+):(page|ticket)$/.exec(dedupKey);
  if (slo !== null) return `slo:${slo[1]}`;
  return /^(check|breaker):./.test(dedupKey) ? dedupKey : undefined;
}

/** What the public is told of an incident. */
export interface PublicWording {
  readonly title: string;
  readonly summary: string;
}

/**
 * The public title and summary of an open incident: from its source and the public name of the
 * component it affects (`component`, undefined when hidden or unknown), never from its own text.
 * `objective` is the SLO's kind for an SLO incident.
 */
export function publicWording(
  view: IncidentView,
  component: string | undefined,
  objective: 'availability' | 'latency' | 'freshness' | undefined,
  pageTitle: string,
): PublicWording {
  const { incident } = view;
  const labels = incident.labels;
  const key = incident.dedupKey ?? '';
  const what = component ?? pageTitle;
  if (labels['public_title'] !== undefined)
    return {
      title: labels['public_title'],
      summary: labels['public_summary'] ?? `We are looking into a problem affecting ${what}.`,
    };
  if (component !== undefined && (key.startsWith('check:') || key.startsWith('breaker:')))
    return {
      title: `${component} unavailable`,
      summary: `Requests that depend on ${component} are failing.`,
    };
  if (component !== undefined && key.startsWith('slo:')) {
    const slow = key.endsWith(':ticket');
    if (objective === 'latency')
      return {
        title: `${slow ? 'Slower' : 'Slow'} responses from ${component}`,
        summary: `Requests to ${component} are taking longer than usual.`,
      };
    if (objective === 'freshness')
      return {
        title: `Delayed data in ${component}`,
        summary: `Data served by ${component} is older than usual.`,
      };
    return {
      title: `${slow ? 'Increased' : 'Elevated'} error rate on ${component}`,
      summary: `More requests to ${component} are failing than usual.`,
    };
  }
  const severe = incident.severity === 'P1' || incident.severity === 'P2';
  return {
    title: severe ? `${pageTitle} disruption` : `${pageTitle} degraded`,
    summary: `Some requests to ${what} may fail or be slow.`,
  };
}

/** The body of a public update in each phase. */
export function phaseBody(phase: IncidentPhase | 'resolved', summary: string): string {
  switch (phase) {
    case 'investigating':
      return `We are investigating. ${summary}`;
    case 'identified':
      return 'The cause has been identified and a fix is under way.';
    case 'monitoring':
      return 'A fix is in place and we are monitoring the results.';
    case 'resolved':
      return 'This incident has been resolved.';
  }
}

/** A ratio as the page writes it: two decimals, never rounded up to 100 % (99.999 % reads 99.99 %). */
export function percentText(ratio: number): string {
  const p = ratio * 100;
  return `${p >= 99.995 && p < 100 ? '99.99' : p.toFixed(2)} %`;
}

/**
 * Text escaped for HTML and XML (the page and the SVG badges) alike: `&#39;` rather than HTML's missing
 * or XML's own named apostrophe, which both parsers read.
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
