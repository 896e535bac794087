import { z } from 'zod';
import { ConfigError, describeValue, parseOptions } from '../../core/index.js';
import {
  HEALTH_JSON_CONTENT_TYPE,
  toHealthJson,
  toProbeText,
  type HealthProbe,
  type HealthRegistry,
} from '../../health/index.js';
import { healthRegistrySchema, routePathSchema } from './option-schemas.js';

/** Paths of the health endpoints; each can be renamed, and no two may be the same. */
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
  /** Where each endpoint is served. @default the Kubernetes names: `/livez`, `/readyz`, `/startupz`, `/health` */
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

const DEFAULT_PATHS = { liveness: '/livez', readiness: '/readyz', startup: '/startupz', health: '/health' };
type Endpoint = keyof typeof DEFAULT_PATHS;

/** @internal The schema {@link HealthRoutesOptions} is checked against (bound by a type test). */
export const healthRoutesOptionsSchema = z
  .strictObject({
    paths: z
      .strictObject({
        liveness: routePathSchema.optional(),
        readiness: routePathSchema.optional(),
        startup: routePathSchema.optional(),
        health: routePathSchema.optional(),
      })
      .optional(),
    exposeDetails: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    // Two endpoints on one path: the first would answer for both and the other never be served.
    const taken = new Map<string, Endpoint>();
    for (const endpoint of Object.keys(DEFAULT_PATHS) as Endpoint[]) {
      const path = value.paths?.[endpoint] ?? DEFAULT_PATHS[endpoint];
      const other = taken.get(path);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['paths', endpoint],
          message: `a path no other health route uses (${path} is also ${other})`,
        });
      else taken.set(path, endpoint);
    }
  });

/**
 * Validates what both adapters' health routes are built from: a registry (without one every probe
 * would answer 503 forever, a Kubernetes restart loop) and the options.
 *
 * @throws {ConfigError} naming `health` or the bad option.
 */
function validate(health: unknown, options: unknown, where: string): HealthRoutesOptions {
  if (!healthRegistrySchema.safeParse(health).success)
    throw new ConfigError(where, [
      {
        field: 'health',
        received: describeValue(health),
        expected: 'a health registry (check, names): the routes answer from it',
      },
    ]);
  return parseOptions(healthRoutesOptionsSchema, options, where) as HealthRoutesOptions;
}

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
 *
 * @param where The API the options were given to, for the ConfigError's message.
 * @throws {ConfigError} when `health` is not a registry or the options are invalid.
 */
export function healthRoutesFor(
  health: HealthRegistry,
  options: HealthRoutesOptions = {},
  where = 'healthRoutes',
): HealthRoute[] {
  options = validate(health, options, where);
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

  const readiness = paths.readiness ?? DEFAULT_PATHS.readiness;
  return [
    { path: paths.liveness ?? DEFAULT_PATHS.liveness, perCheck: false, answer: probeText('liveness') },
    { path: readiness, perCheck: false, answer: probeText('readiness') },
    { path: `${readiness}/:check`, perCheck: true, answer: probeText('readiness') },
    { path: paths.startup ?? DEFAULT_PATHS.startup, perCheck: false, answer: probeText('startup') },
    { path: paths.health ?? DEFAULT_PATHS.health, perCheck: false, answer: healthJson },
  ];
}
