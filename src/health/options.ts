import { z } from 'zod';
import type { HealthProbe } from './types.js';

// Node fires a timer at once past a signed 32-bit millisecond delay, so no duration may exceed it.
const MAX_DELAY_MS = 2_147_483_647;

/** Options for {@link createHealthRegistry}. */
export interface HealthRegistryOptions {
  /**
   * The service's name, rendered as `serviceId` and in the description `health of <service>`.
   * @default undefined (no serviceId)
   * @example 'checkout'
   */
  readonly service?: string;
  /**
   * The service's public version, rendered as `version`.
   * @default undefined
   * @example '1.4.2'
   */
  readonly version?: string;
  /**
   * The release identifier (commit, build number), rendered as `releaseId`.
   * @default undefined
   */
  readonly releaseId?: string;
  /**
   * The time limit of every check registered without its own `timeoutMs`. A check still running at its
   * limit is reported `fail` with output `timed out`, its signal is aborted and its late result ignored.
   * Keep it under the kubelet's probe timeout (1 s by default).
   * @default 500
   */
  readonly defaultTimeoutMs?: number;
  /**
   * How long a finished result is reused before the check runs again. Callers that arrive while a run
   * is in flight always share it, whatever this is.
   * @default 0 (every call after a run settles starts a new run)
   */
  readonly cacheTtlMs?: number;
  /**
   * Whether renderers include error text and observed values by default. Stack traces are never shown.
   * @default false
   */
  readonly exposeDetails?: boolean;
}

/** The schema behind {@link HealthRegistryOptions}. */
export const healthRegistryOptionsSchema = z.strictObject({
  service: z.string().min(1).max(200).optional(),
  version: z.string().min(1).max(200).optional(),
  releaseId: z.string().min(1).max(200).optional(),
  defaultTimeoutMs: z.number().gt(0).max(MAX_DELAY_MS).default(500),
  cacheTtlMs: z.number().min(0).max(MAX_DELAY_MS).default(0),
  exposeDetails: z.boolean().default(false),
});

/** Options for `HealthRegistry.register()`. */
export interface HealthCheckOptions {
  /**
   * Whether a failure fails the probe. A non-critical check that fails only makes the probe `warn`
   * (still HTTP 200): use it for dependencies the service can run without, such as a cache.
   * @default true
   */
  readonly critical?: boolean;
  /**
   * This check's time limit.
   * @default the registry's `defaultTimeoutMs`
   */
  readonly timeoutMs?: number;
  /**
   * Labels to select checks by: `check({ tags: ['datastore'] })` runs checks with any of them.
   * @default []
   */
  readonly tags?: readonly string[];
  /**
   * The probes the check answers for. Liveness should hold only cheap checks of the process itself: a
   * dependency in liveness turns its outage into a restart loop. A startup check passes the startup
   * probe for good once it has passed once.
   * @default ['readiness']
   */
  readonly probes?: readonly HealthProbe[];
  /**
   * The IETF component type.
   * @default the definition's, else 'component'
   * @example 'datastore'
   */
  readonly componentType?: string;
  /**
   * The IETF measurement name: the check appears in health+json under `<name>:<measurement>`.
   * @default the definition's, else none (the key is the name alone)
   * @example 'responseTime'
   */
  readonly measurement?: string;
  /**
   * Run the check in the background every `intervalMs` (re-armed after each run settles, on an unref'd
   * timer) and answer probes from its latest result instead of running it per request.
   * @default undefined (run on demand)
   */
  readonly intervalMs?: number;
}

// Names become JSON keys (`name:measurement`) and probe-text lines, so no colons, spaces or newlines.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,127}$/;
/** What a check name, tag or measurement must look like, for error messages. */
export const NAME_RULE = 'a string of letters, digits, _ . - / (1 to 128 characters, no colon)';
const nameSchema = z.string().refine((value) => NAME.test(value), { message: NAME_RULE });

/** The schema behind {@link HealthCheckOptions}. */
export const healthCheckOptionsSchema = z.strictObject({
  critical: z.boolean().default(true),
  timeoutMs: z.number().gt(0).max(MAX_DELAY_MS).optional(),
  tags: z.array(nameSchema).max(32).default([]),
  probes: z
    .array(z.enum(['liveness', 'readiness', 'startup']))
    .max(3)
    .default(['readiness']),
  componentType: nameSchema.optional(),
  measurement: nameSchema.optional(),
  intervalMs: z.number().gt(0).max(MAX_DELAY_MS).optional(),
});

/** Tells whether `name` can be a check name. */
export function isValidCheckName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}
