import type { Request } from 'express';

// Express does not tell a handler which mount patterns led to it: `req.baseUrl` holds the concrete
// prefix (`/orgs/42`), which would make one series per id. So we find the patterns by walking the
// app's router stack along the request path, using the same `layer.match()` Express used, and cache
// the answer per route and concrete prefix (the walk costs ~1 µs; a hit ~40 ns). The prefixes are
// user data, so each route keeps at most MAX_PREFIXES_PER_ROUTE of them and starts over when full:
// few distinct prefixes (tenants, locales, versions) stay cached, while an id-like mount parameter
// walks as before. These are router internals (router 2.x); every access is guarded, and when the
// walk fails we fall back to baseUrl + route path (still capped by maxRoutes).

interface RouteLike {
  readonly path: unknown;
}
interface LayerLike {
  readonly route?: RouteLike;
  readonly handle?: { readonly stack?: unknown };
  readonly rawPath?: unknown;
  readonly path?: unknown;
  match?(path: string): unknown;
}

const MAX_DEPTH = 16;
const MAX_PREFIXES_PER_ROUTE = 64;
// route → concrete mount prefix (req.baseUrl) → template.
const cache = new WeakMap<RouteLike, Map<string, string>>();

/** The route template of a matched Express request (`/api/orgs/:org/users/:id`), or undefined when no route matched. */
export function expressRouteTemplate(req: Request): string | undefined {
  const route = (req as { route?: RouteLike }).route;
  if (route === undefined || route === null) return undefined;
  const baseUrl = typeof req.baseUrl === 'string' ? req.baseUrl : undefined;
  const prefixes = cache.get(route);
  const cached = baseUrl === undefined ? undefined : prefixes?.get(baseUrl);
  if (cached !== undefined) return cached;

  const own = patternText(route.path);
  let mount: string | undefined;
  try {
    const stack = (req.app as { router?: { stack?: unknown } } | undefined)?.router?.stack;
    if (Array.isArray(stack)) mount = findMount(stack as LayerLike[], pathOf(req.originalUrl), route, 0);
  } catch {
    mount = undefined;
  }
  const template = `${mount ?? baseUrl ?? ''}${own}` || '/';
  if (mount !== undefined && baseUrl !== undefined) {
    if (prefixes === undefined) cache.set(route, new Map([[baseUrl, template]]));
    else {
      if (prefixes.size >= MAX_PREFIXES_PER_ROUTE) prefixes.clear();
      prefixes.set(baseUrl, template);
    }
  }
  return template;
}

function findMount(
  stack: readonly LayerLike[],
  path: string,
  route: RouteLike,
  depth: number,
): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const layer of stack) {
    if (layer.route === route) return '';
    const sub = layer.handle?.stack;
    if (!Array.isArray(sub) || typeof layer.match !== 'function') continue;
    const matched = layer.match(path);
    if (matched === false || matched === undefined || matched === null) continue;
    // router >= 2.3 returns { path, pattern }; older 2.x returns true and sets layer.path.
    const result = typeof matched === 'object' ? (matched as { path?: unknown; pattern?: unknown }) : {};
    const consumed =
      typeof result.path === 'string' ? result.path : typeof layer.path === 'string' ? layer.path : '';
    const pattern = patternText(result.pattern ?? layer.rawPath);
    const found = findMount(sub as LayerLike[], path.slice(consumed.length) || '/', route, depth + 1);
    if (found !== undefined) return (pattern === '/' ? '' : pattern) + found;
  }
  return undefined;
}

function patternText(pattern: unknown): string {
  if (typeof pattern === 'string') return pattern;
  if (Array.isArray(pattern)) return pattern.map(patternText).join(',');
  return pattern instanceof RegExp ? pattern.toString() : '';
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
