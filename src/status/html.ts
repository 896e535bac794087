import type { ComponentStatus } from '../monitor/index.js';
import type { DayBar, PageComponent, PageEntry } from './components.js';
import type { PageIncident, PageMaintenance, PageModel } from './model.js';
import { escapeMarkup as esc, percentText, STATUS_LABEL } from './public-text.js';

// The status page as one server-rendered HTML document: no JavaScript, no external resource, a few KB.
// Every status is written in words next to its colour (and a shape, hidden from screen readers); the
// uptime bars are one SVG per component, one <line> per run of days of the same status (dashed into
// daily bars), with a text alternative and a list of the days with problems. Colours follow
// prefers-color-scheme, each with at least 4.5:1 contrast against its background (checked in a browser
// by the tests). The layout is one column that fits 320 px.

/** The status colours of each scheme (text and bars), with their page background and text colours. */
export const PALETTE = {
  light: {
    background: '#ffffff',
    text: '#1f2328',
    muted: '#59636e',
    operational: '#1a7f37',
    under_maintenance: '#0b5cad',
    degraded_performance: '#8a5a00',
    partial_outage: '#b3470a',
    major_outage: '#c21f2e',
    no_data: '#6e7781',
  },
  dark: {
    background: '#0d1117',
    text: '#e6edf3',
    muted: '#9198a1',
    operational: '#3fb950',
    under_maintenance: '#58a6ff',
    degraded_performance: '#d29922',
    partial_outage: '#f0883e',
    major_outage: '#ff7b72',
    no_data: '#6e7681',
  },
} as const;

const CLASS: Readonly<Record<ComponentStatus | 'no_data', string>> = {
  operational: 'op',
  under_maintenance: 'mt',
  degraded_performance: 'dg',
  partial_outage: 'po',
  major_outage: 'mo',
  no_data: 'nd',
};

// A shape per status, so the status reads without colour too (the word is always there as well).
const ICON: Readonly<Record<ComponentStatus, string>> = {
  operational: '✓',
  under_maintenance: '⚙',
  degraded_performance: '▲',
  partial_outage: '◆',
  major_outage: '✕',
};

const PHASE: Readonly<Record<PageIncident['phase'], string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
};

function time(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${h} h` : `${h} h ${minutes % 60} min`;
}

function css(): string {
  const vars = (scheme: keyof typeof PALETTE) => {
    const p = PALETTE[scheme];
    return (
      `--bg:${p.background};--fg:${p.text};--mu:${p.muted};--op:${p.operational};--mt:${p.under_maintenance};` +
      `--dg:${p.degraded_performance};--po:${p.partial_outage};--mo:${p.major_outage};--nd:${p.no_data}`
    );
  };
  const classes = Object.values(CLASS)
    .map((c) => `.s-${c}{color:var(--${c})}.b-${c}{stroke:var(--${c})}`)
    .join('');
  return (
    `:root{color-scheme:light dark;${vars('light')}}` +
    `@media (prefers-color-scheme:dark){:root{${vars('dark')}}}` +
    '*{box-sizing:border-box}' +
    'body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
    'header,main,footer{max-width:48rem;margin:0 auto;padding:1rem}' +
    'h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}' +
    'h3,h4{font-size:1rem;margin:0;overflow-wrap:anywhere}' +
    '.overall{font-size:1.15rem;font-weight:600;border:2px solid currentColor;border-radius:.5rem;padding:.75rem 1rem;margin:0}' +
    'ul{list-style:none;margin:0;padding:0}.c{border-top:1px solid var(--nd);padding:.75rem 0}' +
    '.c ul .c{margin-left:1rem}' +
    '.row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;align-items:baseline}' +
    '.st{font-weight:600}.mu,.desc,.legend{color:var(--mu);font-size:.875rem;margin:.25rem 0}' +
    '.bars{display:block;width:100%;height:2rem;margin-top:.5rem}' +
    '.legend{display:flex;justify-content:space-between;gap:.5rem}' +
    'details{font-size:.875rem}summary{cursor:pointer}' +
    'article{border:1px solid var(--nd);border-radius:.5rem;padding:.75rem 1rem;margin:.5rem 0}' +
    'ol{padding-left:1.25rem;margin:.5rem 0}a{color:inherit}' +
    classes
  );
}

const STYLE = css();

function statusText(status: ComponentStatus): string {
  return `<span class="st s-${CLASS[status]}"><span aria-hidden="true">${ICON[status]} </span>${STATUS_LABEL[status]}</span>`;
}

// One SVG per component: each run of days of one class is one dashed line of 4-unit steps (3 drawn, 1
// gap), so 90 bars cost a handful of elements.
function bars(days: readonly DayBar[], label: string): string {
  const lines: string[] = [];
  let start = 0;
  for (let i = 1; i <= days.length; i++) {
    const cls = CLASS[days[start]!.worst];
    if (i < days.length && CLASS[days[i]!.worst] === cls) continue;
    lines.push(`<line class="b-${cls}" x1="${start * 4}" x2="${i * 4}" y1="12" y2="12"/>`);
    start = i;
  }
  return (
    `<svg class="bars" role="img" aria-label="${esc(label)}" viewBox="0 0 ${days.length * 4} 24" ` +
    `preserveAspectRatio="none" stroke-width="24" stroke-dasharray="3 1">${lines.join('')}</svg>`
  );
}

const MAX_LISTED_DAYS = 10;

function uptimeBlock(entry: PageComponent | PageEntry): string {
  const days = entry.days;
  if (days.length === 0) return '';
  const ratio = entry.uptime.ratio;
  const uptime = ratio === null ? 'no data yet' : `${percentText(ratio)} uptime`;
  // Planned maintenance is not a problem: its days show blue in the bars, not in this list.
  const troubled = days.filter(
    (d) => d.worst !== 'operational' && d.worst !== 'no_data' && d.worst !== 'under_maintenance',
  );
  const label = `Uptime over the last ${days.length} days: ${uptime}; ${troubled.length} ${troubled.length === 1 ? 'day' : 'days'} with problems.`;
  let list = '';
  if (troubled.length > 0) {
    const items = troubled
      .slice(-MAX_LISTED_DAYS)
      .reverse()
      .map((d) => {
        const parts = [
          d.majorMs > 0 ? `major outage ${duration(d.majorMs)}` : '',
          d.partialMs > 0 ? `partial outage ${duration(d.partialMs)}` : '',
          d.degradedMs > 0 ? `degraded ${duration(d.degradedMs)}` : '',
          d.maintenanceMs > 0 ? `maintenance ${duration(d.maintenanceMs)}` : '',
        ].filter((p) => p !== '');
        const share = d.uptime === null ? '' : `, ${percentText(d.uptime)} up`;
        return `<li><time datetime="${d.date}">${d.date}</time>: ${parts.join(', ')}${share}</li>`;
      });
    const more =
      troubled.length > MAX_LISTED_DAYS ? `<li>and ${troubled.length - MAX_LISTED_DAYS} earlier</li>` : '';
    list = `<details><summary>Days with problems (${troubled.length})</summary><ul>${items.join('')}${more}</ul></details>`;
  }
  return (
    bars(days, label) +
    `<p class="legend"><span>${days.length} days ago</span><span>${uptime}</span><span>Today</span></p>${list}`
  );
}

function visible(entry: PageEntry | PageComponent): boolean {
  return !entry.onlyShowIfDegraded || entry.status !== 'operational';
}

function componentItem(entry: PageEntry | PageComponent, level: 3 | 4, details: boolean): string {
  const description = entry.description === null ? '' : `<p class="desc">${esc(entry.description)}</p>`;
  let sources = '';
  if (details && !entry.group)
    sources = `<ul class="mu">${entry.sources
      .map(
        (s) =>
          `<li>${esc(s.key)}: ${STATUS_LABEL[s.status]}, ${esc(s.reason)}${s.detail === undefined ? '' : ` (${esc(s.detail)})`}</li>`,
      )
      .join('')}</ul>`;
  const members = entry.group
    ? `<ul>${entry.members
        .filter(visible)
        .map((m) => componentItem(m, 4, details))
        .join('')}</ul>`
    : '';
  return (
    `<li class="c" id="c-${esc(entry.id)}"><div class="row"><h${level}>${esc(entry.name)}</h${level}>${statusText(entry.status)}</div>` +
    `${description}${sources}${entry.group ? '' : uptimeBlock(entry)}${members}</li>`
  );
}

function incidentArticle(incident: PageIncident): string {
  const affected =
    incident.components.length === 0
      ? ''
      : ` · Affects ${incident.components.map((c) => esc(c.name)).join(', ')}`;
  const updates = incident.updates
    .map((u) => `<li><strong>${PHASE[u.status]}</strong> · ${time(u.at)}<br>${esc(u.body)}</li>`)
    .join('');
  return (
    `<article id="${esc(incident.id)}" aria-labelledby="i-${esc(incident.id)}"><h3 id="i-${esc(incident.id)}">${esc(incident.title)}</h3>` +
    `<p class="mu">${PHASE[incident.phase]} · Impact: ${incident.impact} · Since ${time(incident.openedAt)}${affected}</p>` +
    `<p>${esc(incident.summary)}</p><ol reversed>${updates}</ol></article>`
  );
}

function maintenanceArticle(m: PageMaintenance): string {
  const affected =
    m.components.length === 0 ? '' : ` · Affects ${m.components.map((c) => esc(c.name)).join(', ')}`;
  const phase = m.phase === 'in_progress' ? 'In progress' : 'Scheduled';
  return (
    `<article id="m-${esc(m.id)}" aria-labelledby="mh-${esc(m.id)}"><h3 id="mh-${esc(m.id)}">${esc(m.title)}</h3>` +
    `<p class="mu">${phase} · ${time(m.startsAt)} to ${time(m.endsAt)}${affected}</p><p>${esc(m.summary)}</p></article>`
  );
}

/** The status page's HTML. */
export function statusHtml(model: PageModel, path: string): string {
  const incidents =
    model.incidents.length === 0
      ? '<p>No incidents reported.</p>'
      : model.incidents.map(incidentArticle).join('');
  const components = model.entries
    .filter(visible)
    .map((e) => componentItem(e, 3, model.exposeDetails))
    .join('');
  const updated = model.updatedAt > 0 ? `Last change ${time(model.updatedAt)}. ` : '';
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${esc(model.title)} status</title><style>${STYLE}</style></head><body>` +
    `<header><h1>${esc(model.title)} status</h1>` +
    `<p class="overall s-${CLASS[model.status]}" role="status"><span aria-hidden="true">${ICON[model.status]} </span>${esc(model.description)}</p></header>` +
    `<main><section aria-labelledby="h-inc"><h2 id="h-inc">Active incidents</h2>${incidents}</section>` +
    (model.maintenances.length === 0
      ? ''
      : `<section aria-labelledby="h-mt"><h2 id="h-mt">Scheduled maintenance</h2>${model.maintenances.map(maintenanceArticle).join('')}</section>`) +
    `<section aria-labelledby="h-comp"><h2 id="h-comp">Components</h2>` +
    (components === '' ? '<p>No components.</p>' : `<ul>${components}</ul>`) +
    '</section></main>' +
    `<footer><p class="mu">${updated}Machine-readable: <a href="${esc(path)}/summary.json">summary.json</a> ` +
    `(Statuspage v2 format).</p></footer></body></html>`
  );
}
