import { DEFAULT_IGNORED_PATHS, ignoredPathTest } from '../signals/index.js';

// The service's own endpoints: health probes, the metrics scrape, the agent. Their latency says
// nothing about the service's users, so they are never bottlenecks (the adapters' `ignore` concept).

/** The `ignoreRoutes` default: the adapters' ignored paths, plus the agent route. */
export const DEFAULT_IGNORED_ROUTES: readonly string[] = Object.freeze([...DEFAULT_IGNORED_PATHS, '/agent']);

/**
 * Whether a latency key names one of `paths` (or a path under one): keys are `METHOD /path` as the
 * adapters record them, or a bare `/path`.
 */
export function ownRouteTest(paths: readonly string[]): (key: string) => boolean {
  const isIgnored = ignoredPathTest(paths);
  return (key) => {
    const space = key.indexOf(' ');
    const path = space === -1 ? key : key.slice(space + 1);
    return path.startsWith('/') && isIgnored(path);
  };
}
