import { createHash } from 'node:crypto';
import { ConfigError, describeValue, parseOptions, resolveDeps, type Deps } from '../core/index.js';
import { allComponents } from './components.js';
import { statusBadge, uptimeBadge } from './badge.js';
import { statusHtml } from './html.js';
import { pageModel, type PageModel } from './model.js';
import {
  statusPageMonitorSchema,
  statusPageOptionsSchema,
  type StatusPageMonitor,
  type StatusPageOptions,
} from './options.js';
import { summaryJson } from './summary.js';

// The framework-neutral status page: a request's method, path and headers in, an answer out. The
// adapters only translate (Express `statusPage`, the Fastify plugin's `statusPage` option).

/** One answer of the status page. */
export interface StatusAnswer {
  readonly status: 200 | 304 | 404 | 503;
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for 304 (and sent without a body for HEAD). */
  readonly body: string;
}

/** What the page is asked: the parts of an HTTP request it reads. */
export interface StatusRequest {
  readonly method: string;
  /** The URL path, without the query string. */
  readonly path: string;
  /** `?metric=` of a badge: `status` (default) or `uptime`. */
  readonly metric?: string | undefined;
  /** The `If-None-Match` header, when sent. */
  readonly ifNoneMatch?: string | undefined;
}

/** The status page: answers `GET <path>`, `<path>/summary.json` and `<path>/badge/<id>.svg`. */
export interface StatusPage {
  /** The path it serves under. */
  readonly path: string;
  /** The answer to `request`, or `undefined` when the request is not for the page (pass it on). */
  answer(request: StatusRequest): StatusAnswer | undefined;
  /** The model the page renders now (what the HTML, JSON and badges show). */
  model(): PageModel;
}

/** The id of the badge of the whole page (no component id starts with `_`). */
export const OVERALL_BADGE_ID = '_overall';

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const SVG_TYPE = 'image/svg+xml; charset=utf-8';
// No script may run, nothing is fetched: the page is one self-contained document.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'";

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * Creates the status page of a monitor: server-rendered HTML (no JavaScript, light and dark), a
 * Statuspage v2 `summary.json` with an `x_sre` extension, and shields-style SVG badges, each with an
 * `ETag` (a matching `If-None-Match` gets 304) and `Cache-Control: public, max-age`. Nothing internal is
 * shown unless `exposeDetails`: incidents are worded from their source, not their own text.
 *
 * @example
 * ```ts
 * const page = createStatusPage(monitor, { title: 'Checkout' });
 * const answer = page.answer({ method: 'GET', path: '/status/summary.json' });
 * ```
 * @throws {ConfigError} when `monitor` has no `status()`/`uptime()` or the options are invalid.
 */
export function createStatusPage(
  monitor: StatusPageMonitor,
  options: StatusPageOptions,
  deps?: Deps,
): StatusPage {
  if (!statusPageMonitorSchema.safeParse(monitor).success)
    throw new ConfigError('createStatusPage', [
      { field: 'monitor', received: describeValue(monitor), expected: 'a monitor (status, uptime)' },
    ]);
  const opts = parseOptions(statusPageOptionsSchema, options, 'createStatusPage');
  const { onInternalError } = resolveDeps(deps);
  const base = opts.path;
  const cacheControl = `public, max-age=${opts.maxAgeSeconds}`;

  const model = (): PageModel => pageModel(monitor.status(), monitor.uptime({ days: opts.uptimeDays }), opts);

  const ok = (request: StatusRequest, type: string, body: string): StatusAnswer => {
    const etag = etagOf(body);
    const headers = {
      'content-type': type,
      'cache-control': cacheControl,
      etag,
      'x-content-type-options': 'nosniff',
      'content-security-policy': CSP,
    };
    if (matches(request.ifNoneMatch, etag)) return { status: 304, headers, body: '' };
    return { status: 200, headers, body };
  };
  const plain = (status: 404 | 503, body: string): StatusAnswer => ({
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body,
  });

  const render = (request: StatusRequest, rest: string): StatusAnswer | undefined => {
    if (rest === '' || rest === '/') return ok(request, HTML_TYPE, statusHtml(model(), base));
    if (rest === '/summary.json') return ok(request, JSON_TYPE, JSON.stringify(summaryJson(model())));
    const badge = /^\/badge\/([^/]+)\.svg$/.exec(rest);
    if (badge === null) return undefined;
    const id = badge[1]!;
    const page = model();
    const uptime = request.metric === 'uptime';
    if (id === OVERALL_BADGE_ID) {
      const all = page.entries;
      let up = 0;
      let observed = 0;
      for (const e of all) {
        up += e.uptime.upMs;
        observed += e.uptime.observedMs;
      }
      const svg = uptime
        ? uptimeBadge(page.title, observed > 0 ? up / observed : null)
        : statusBadge(page.title, page.status);
      return ok(request, SVG_TYPE, svg);
    }
    const component =
      page.entries.find((e) => e.id === id) ?? allComponents(page.entries).find((c) => c.id === id);
    if (component === undefined) return plain(404, 'No such component.');
    const svg = uptime
      ? uptimeBadge(component.name, component.uptime.ratio)
      : statusBadge(component.name, component.status);
    return ok(request, SVG_TYPE, svg);
  };

  return {
    path: base,
    model,
    answer(request: StatusRequest): StatusAnswer | undefined {
      if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
      if (request.path !== base && !request.path.startsWith(`${base}/`)) return undefined;
      try {
        return render(request, request.path.slice(base.length));
      } catch (error) {
        // What failed goes to the operators, never to the page's readers.
        onInternalError(error, { source: 'statusPage', task: 'render' });
        return plain(503, 'The status page is unavailable right now.');
      }
    },
  };
}
