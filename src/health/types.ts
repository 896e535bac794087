// The shapes the health registry hands to check functions and back to callers. Kept in one file so
// renderers, built-in checks and the registry agree on them without importing each other.

/** A health status in the vocabulary of the IETF health-check draft (`application/health+json`). */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** A Kubernetes probe a check can answer for. */
export type HealthProbe = 'liveness' | 'readiness' | 'startup';

/** A measurement a check reports: any JSON scalar (the draft allows any JSON value). */
export type ObservedValue = number | string | boolean;

/** What a check function may return; returning nothing means `pass`, throwing means `fail`. */
export interface HealthCheckOutcome {
  /** The check's verdict. @default 'pass' */
  readonly status?: HealthStatus;
  /** What was measured, e.g. `3` for a 3 ms ping. */
  readonly observedValue?: ObservedValue;
  /** The unit of `observedValue`, e.g. `ms`, `bytes`, `ratio`. */
  readonly observedUnit?: string;
  /** Why it warned or failed; shown to callers only when details are exposed. */
  readonly output?: string;
}

/** What a check function receives. */
export interface HealthCheckContext {
  /** Aborted when the check times out or the registry closes: pass it to the I/O you start. */
  readonly signal: AbortSignal;
}

/** A check function: resolves (or returns) its outcome, or throws to fail. */
export type HealthCheckFn = (
  context: HealthCheckContext,
) => HealthCheckOutcome | void | Promise<HealthCheckOutcome | void>;

/** A reusable check that carries its own IETF defaults; every `checks.*` factory returns one. */
export interface HealthCheckDefinition {
  /** Runs the check once. */
  readonly run: HealthCheckFn;
  /** The default `componentType` (`system`, `datastore`, `component`). */
  readonly componentType?: string;
  /** The default measurement name, the part after the colon in the health+json key. */
  readonly measurement?: string;
  /** Releases what the check holds (a histogram, a timer); the registry calls it on unregister and close. */
  close?(): void;
}

/** The result of one check in one {@link HealthCheckResult}. */
export interface CheckResult {
  /** The name it was registered under. */
  readonly name: string;
  /** Its verdict; a check that timed out or threw is `fail`. */
  readonly status: HealthStatus;
  /** Whether its failure fails the probe (otherwise it only warns). */
  readonly critical: boolean;
  /** How long the run took on the registry's clock, in milliseconds. */
  readonly durationMs: number;
  /** When the run finished, as an ISO 8601 timestamp. */
  readonly time: string;
  /** Why it warned or failed (`timed out`, an error message); never a stack trace. */
  readonly output?: string;
  /** What it measured. */
  readonly observedValue?: ObservedValue;
  /** The unit of `observedValue`. */
  readonly observedUnit?: string;
  /** The IETF component type (`component`, `datastore`, `system`). */
  readonly componentType: string;
  /** The IETF measurement name, when the check has one. */
  readonly measurement?: string;
}

/** Identifies the service in rendered reports. */
export interface HealthServiceInfo {
  /** The service's name, rendered as `serviceId`. */
  readonly serviceId?: string;
  /** Its public version. */
  readonly version?: string;
  /** Its release identifier (a commit, a build number). */
  readonly releaseId?: string;
  /** A human-readable description, `health of <service>`. */
  readonly description?: string;
}

/** What `HealthRegistry.check()` resolves to. */
export interface HealthCheckResult {
  /** The aggregate: `fail` if a critical check failed, `warn` if any other did or warned, else `pass`. */
  readonly status: HealthStatus;
  /** The probe that was asked for; absent when every check was asked for. */
  readonly probe?: HealthProbe;
  /** Every check that was part of the answer, in registration order. */
  readonly checks: readonly CheckResult[];
  /** How long the call took on the registry's clock, in milliseconds. */
  readonly durationMs: number;
  /** When the answer was assembled, as an ISO 8601 timestamp. */
  readonly time: string;
  /** Whether the registry was draining: readiness then fails without running checks. */
  readonly draining: boolean;
  /** Why the probe failed when that is not a check's doing (`shutting down`). */
  readonly output?: string;
  /** The service the registry describes. */
  readonly service: HealthServiceInfo;
  /** The registry's `exposeDetails` option: the default for every renderer. */
  readonly exposeDetails: boolean;
}
