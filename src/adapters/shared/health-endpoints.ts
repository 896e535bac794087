import {
  HEALTH_JSON_CONTENT_TYPE,
  toHealthJson,
  toProbeText,
  type HealthProbe,
  type HealthRegistry,
} from '../../health/index.js';

/** Paths of the health endpoints; each can be renamed. */
export interface HealthPaths {
  /** Liveness, Kubernetes style text. @default '/livez' */
  readonly liveness?: string;
  /** Readiness, Kubernetes style text; `<readiness>/<check>` answers for one check. @default '/readyz' */
  readonly readiness?: string;
  /** Startup, Kubernetes style text. @default '/startupz' */
  readonly startup?: string;
  /** Every check as `application/health+json`. @default '/health' */
  readonly health?: string;
}

/** Options for the health routes of both adapters. */
export interface HealthRoutesOptions {
  readonly paths?: HealthPaths;
  /**
   * Show error text and observed values. Only for trusted callers.
   * @default the registry's `exposeDetails`
   */
  readonly exposeDetails?: boolean;
}

/** A framework-neutral answer the adapters send as they are. */
export interface HealthAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** One route to register: its path and how to answer it from a parsed query. */
export interface HealthRoute {
  readonly path: string;
  /** Set for `<readiness>/:check`: the route answers for the named check only. */
  readonly perCheck: boolean;
  answer(query: HealthQuery, checkName?: string): Promise<HealthAnswer>;
}

/** The query parameters the health routes understand. */
export interface HealthQuery {
  /** `?verbose` (any value but `0`/`false`): list every check even when all pass. */
  readonly verbose?: unknown;
  /** `?exclude=a,b` or repeated `?exclude=a&exclude=b`: leave those checks out. */
  readonly exclude?: unknown;
}

const TEXT = 'text/plain; charset=utf-8';

function flag(value: unknown): boolean {
  if (value === undefined) return false;
  const v: unknown = Array.isArray(value) ? (value as unknown[])[value.length - 1] : value;
  return v !== '0' && v !== 'false';
}

function names(value: unknown): string[] {
  const values: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.flatMap((v) => (typeof v === 'string' ? v.split(',') : [])).filter((v) => v !== '');
}

/**
 * The health routes both adapters serve, as plain data: `/livez`, `/readyz` (+ `/readyz/<check>`),
 * `/startupz` in the Kubernetes API server's text style, and `/health` as `application/health+json`.
 * Each answers 200 for pass and warn, 503 for fail; a check that throws or a closed registry is 503.
 */
export function healthRoutesFor(health: HealthRegistry, options: HealthRoutesOptions = {}): HealthRoute[] {
  const paths = options.paths ?? {};
  const details = options.exposeDetails === undefined ? {} : { exposeDetails: options.exposeDetails };

  const probeText =
    (probe: HealthProbe) =>
    async (query: HealthQuery, checkName?: string): Promise<HealthAnswer> => {
      let exclude = names(query.exclude);
      if (checkName !== undefined) {
        if (!health.names().includes(checkName))
          return { status: 404, contentType: TEXT, body: `no check named ${checkName}\n` };
        exclude = health.names().filter((name) => name !== checkName);
      }
      try {
        const result = await health.check({ probe, exclude });
        const { body, httpStatus } = toProbeText(result, {
          verbose: flag(query.verbose) || checkName !== undefined,
          ...details,
        });
        return { status: httpStatus, contentType: TEXT, body };
      } catch {
        return { status: 503, contentType: TEXT, body: 'health check unavailable\n' };
      }
    };

  const healthJson = async (query: HealthQuery): Promise<HealthAnswer> => {
    try {
      const result = await health.check({ exclude: names(query.exclude) });
      const { body, httpStatus } = toHealthJson(result, details);
      return { status: httpStatus, contentType: HEALTH_JSON_CONTENT_TYPE, body: JSON.stringify(body) };
    } catch {
      return {
        status: 503,
        contentType: HEALTH_JSON_CONTENT_TYPE,
        body: JSON.stringify({ status: 'fail', output: 'health check unavailable' }),
      };
    }
  };

  const readiness = paths.readiness ?? '/readyz';
  return [
    { path: paths.liveness ?? '/livez', perCheck: false, answer: probeText('liveness') },
    { path: readiness, perCheck: false, answer: probeText('readiness') },
    { path: `${readiness}/:check`, perCheck: true, answer: probeText('readiness') },
    { path: paths.startup ?? '/startupz', perCheck: false, answer: probeText('startup') },
    { path: paths.health ?? '/health', perCheck: false, answer: healthJson },
  ];
}
