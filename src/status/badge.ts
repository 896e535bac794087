import type { ComponentStatus } from '../monitor/index.js';
import { escapeMarkup as xml, percentText, STATUS_LABEL } from './public-text.js';

// Shields-style ("flat") SVG badges: a grey label and a coloured value, white Verdana 11 px text. Text
// widths are estimated from Verdana's advance widths by character class (shields measures them
// exactly; the estimate is within a few pixels, and the text is centred so it never clips). Every text
// is XML-escaped, so a component named `<script>` is text, not markup.

/** The colour of a badge's value, white text on it at 4.5:1 or more. */
export const BADGE_COLOUR: Readonly<Record<ComponentStatus | 'no_data', string>> = {
  operational: '#1a7f37',
  under_maintenance: '#0b5cad',
  degraded_performance: '#8a5a00',
  partial_outage: '#b3470a',
  major_outage: '#c21f2e',
  no_data: '#59636e',
};

// Approximate advance widths of Verdana at 11 px.
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (ch === ' ') width += 3.9;
    else if ("iljtfrI.,:;!|'()[]".includes(ch)) width += 4.2;
    else if ('mwMW%@'.includes(ch)) width += 10.5;
    else if (ch >= 'A' && ch <= 'Z') width += 7.6;
    else width += 7;
  }
  return Math.ceil(width);
}

/** One badge: `label` on grey, `value` on `colour`. */
export function badgeSvg(label: string, value: string, colour: string): string {
  const left = textWidth(label) + 10;
  const right = textWidth(value) + 10;
  const width = left + right;
  const title = xml(`${label}: ${value}`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>' +
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/>` +
    `<rect x="${left}" width="${right}" height="20" fill="${colour}"/><rect width="${width}" height="20" fill="url(#s)"/></g>` +
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">' +
    `<text x="${left / 2}" y="14">${xml(label)}</text><text x="${left + right / 2}" y="14">${xml(value)}</text></g></svg>`
  );
}

/** A status badge: `payments | major outage`. */
export function statusBadge(label: string, status: ComponentStatus): string {
  return badgeSvg(label, STATUS_LABEL[status].toLowerCase(), BADGE_COLOUR[status]);
}

/**
 * An uptime badge: `payments | 99.95 %`, coloured by how much was lost (≥ 99.9 % operational, ≥ 99 %
 * degraded, ≥ 95 % partial outage, less major outage); `no data` before anything was observed.
 */
export function uptimeBadge(label: string, ratio: number | null): string {
  if (ratio === null) return badgeSvg(label, 'no data', BADGE_COLOUR.no_data);
  const colour =
    ratio >= 0.999
      ? BADGE_COLOUR.operational
      : ratio >= 0.99
        ? BADGE_COLOUR.degraded_performance
        : ratio >= 0.95
          ? BADGE_COLOUR.partial_outage
          : BADGE_COLOUR.major_outage;
  return badgeSvg(label, percentText(ratio), colour);
}
