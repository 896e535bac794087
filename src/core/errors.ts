/**
 * Every error code sre-kit throws or reports. Codes are stable: callers may branch on them across
 * versions, while messages may change.
 */
export const ErrorCode = Object.freeze({
  /** Options passed to a factory or function failed validation. */
  INVALID_OPTIONS: 'ERR_SRE_INVALID_OPTIONS',
  /** A call was rejected because a circuit breaker is open or isolated. */
  CIRCUIT_OPEN: 'ERR_SRE_CIRCUIT_OPEN',
  /** Work did not finish within its time limit. */
  TIMEOUT: 'ERR_SRE_TIMEOUT',
  /** Every retry attempt failed or the retry policy gave up. */
  RETRY_EXHAUSTED: 'ERR_SRE_RETRY_EXHAUSTED',
  /** A bulkhead had no free slot and no queue room. */
  BULKHEAD_FULL: 'ERR_SRE_BULKHEAD_FULL',
  /** A call was aborted through its `AbortSignal`. */
  ABORTED: 'ERR_SRE_ABORTED',
  /** The primitive was closed and can no longer be used. */
  CLOSED: 'ERR_SRE_CLOSED',
  /**
   * A synchronous read came before the data it reads had loaded (await the owner's `ready()` first),
   * or after loading failed (the load's error is the `cause`).
   */
  NOT_READY: 'ERR_SRE_NOT_READY',
  /** An unexpected failure inside sre-kit, reported to `onInternalError`. */
  INTERNAL: 'ERR_SRE_INTERNAL',
  /** An encoded payload (e.g. an HdrHistogram from another process) could not be decoded. */
  INVALID_ENCODING: 'ERR_SRE_INVALID_ENCODING',
  /** A call needs a collaborator its owner was not given (e.g. the monitor's change log). */
  NOT_CONFIGURED: 'ERR_SRE_NOT_CONFIGURED',

  // Incidents
  /** No incident has the given id. */
  INCIDENT_NOT_FOUND: 'ERR_SRE_INCIDENT_NOT_FOUND',
  /** The recorder holds its maximum number of incidents and none can be forgotten. */
  INCIDENT_LIMIT: 'ERR_SRE_INCIDENT_LIMIT',
  /** Another live process holds the lock on an incident store file. */
  STORE_LOCKED: 'ERR_SRE_STORE_LOCKED',
  /** An incident store failed to write and refuses further writes until reopened. */
  STORE_FAILED: 'ERR_SRE_STORE_FAILED',
  /** Input from outside (a webhook body) did not have the expected shape. */
  INVALID_INPUT: 'ERR_SRE_INVALID_INPUT',
  /** A notification could not be delivered (HTTP status, network failure or timeout). */
  DELIVERY_FAILED: 'ERR_SRE_DELIVERY_FAILED',

  /** A retry was refused because the shared retry budget was spent. */
  RETRY_BUDGET_EXHAUSTED: 'ERR_SRE_RETRY_BUDGET_EXHAUSTED',
  /** A failure injected on purpose by a fault injector (chaos testing). */
  INJECTED_FAULT: 'ERR_SRE_INJECTED_FAULT',
  /** A rate limiter refused a call, or would have made it wait longer than allowed. */
  RATE_LIMITED: 'ERR_SRE_RATE_LIMITED',
});

/** One of the stable codes in {@link ErrorCode}. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

// A registry symbol, not a module-local one, so that `isSreError` recognises errors thrown by
// another installed copy of sre-kit (two versions in one dependency tree).
const kSreError = Symbol.for('sre-kit.error');

/** Options accepted by every sre-kit error constructor. */
export interface SreErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  readonly cause?: unknown;
}

/** The base class of every error sre-kit throws; branch on its stable `code`. */
export class SreError extends Error {
  /** The stable machine-readable code, one of {@link ErrorCode}. */
  readonly code: ErrorCodeValue;

  constructor(code: ErrorCodeValue, message: string, options?: SreErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** Marks instances for {@link isSreError} across copies of the library. */
  get [kSreError](): true {
    return true;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * The subclass behind each code that has one: what {@link isSreError} narrows to when given that code.
 * Every error sre-kit raises with one of these codes is an instance of the class beside it.
 */
export interface SreErrorByCode {
  /** {@link ConfigError} */
  readonly [ErrorCode.INVALID_OPTIONS]: ConfigError;
  /** {@link CircuitOpenError} */
  readonly [ErrorCode.CIRCUIT_OPEN]: CircuitOpenError;
  /** {@link TimeoutError} */
  readonly [ErrorCode.TIMEOUT]: TimeoutError;
  /** {@link RetryExhaustedError} */
  readonly [ErrorCode.RETRY_EXHAUSTED]: RetryExhaustedError;
  /** {@link RetryBudgetExhaustedError} */
  readonly [ErrorCode.RETRY_BUDGET_EXHAUSTED]: RetryBudgetExhaustedError;
  /** {@link BulkheadFullError} */
  readonly [ErrorCode.BULKHEAD_FULL]: BulkheadFullError;
  /** {@link DeliveryError} */
  readonly [ErrorCode.DELIVERY_FAILED]: DeliveryError;
  /** {@link InjectedFaultError} */
  readonly [ErrorCode.INJECTED_FAULT]: InjectedFaultError;
  /** {@link RateLimitedError} */
  readonly [ErrorCode.RATE_LIMITED]: RateLimitedError;
}

/**
 * The error an sre-kit error with code `C` is: its subclass from {@link SreErrorByCode}, or an
 * {@link SreError} whose `code` is `C` for a code with no subclass.
 */
export type SreErrorOf<C extends ErrorCodeValue> = C extends keyof SreErrorByCode
  ? SreErrorByCode[C]
  : SreError & { readonly code: C };

/**
 * Tells whether `value` is an sre-kit error, from this or any other installed copy of the library,
 * optionally with the given `code`; with a code it narrows to that code's subclass, so
 * `isSreError(error, ErrorCode.CIRCUIT_OPEN)` makes `error.retryAfterMs` readable.
 *
 * The check is by a registry-symbol brand and the code, not `instanceof`, so an error from a second
 * copy of sre-kit in the dependency tree passes too and has the same fields.
 *
 * @example
 * ```ts
 * if (isSreError(error, ErrorCode.CIRCUIT_OPEN)) retryLater(error.retryAfterMs);
 * ```
 */
export function isSreError(value: unknown): value is SreError;
export function isSreError<C extends ErrorCodeValue>(value: unknown, code: C): value is SreErrorOf<C>;
export function isSreError(value: unknown, code?: ErrorCodeValue): value is SreError;
export function isSreError(value: unknown, code?: ErrorCodeValue): value is SreError {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as { [kSreError]?: unknown })[kSreError] !== true) return false;
  return code === undefined || (value as SreError).code === code;
}

/** One reason options were rejected: where, what was given and what was expected. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `window.durationMs` or `thresholdsMs[0]`; `(options)` for the whole. */
  readonly field: string;
  /** The rejected value, rendered short and safe to log. */
  readonly received: string;
  /** What the field accepts. */
  readonly expected: string;
}

/** Thrown when options fail validation; the message names every bad field, its value and what was expected. */
export class ConfigError extends SreError {
  /** Always `ErrorCode.INVALID_OPTIONS`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.INVALID_OPTIONS;

  /** Where the options were given, e.g. `createLatencyTracker`. */
  readonly where: string;
  /** Every problem found, in the order the schema reported them. */
  readonly issues: readonly ConfigIssue[];

  constructor(where: string, issues: readonly ConfigIssue[], options?: SreErrorOptions) {
    const lines = issues.map((i) => `${i.field}: expected ${i.expected}, received ${i.received}`);
    super(ErrorCode.INVALID_OPTIONS, `Invalid options for ${where}: ${lines.join('; ')}`, options);
    this.where = where;
    this.issues = issues;
  }
}

/** Thrown when work does not finish in time. */
export class TimeoutError extends SreError {
  /** Always `ErrorCode.TIMEOUT`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.TIMEOUT;

  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message = `Timed out after ${timeoutMs} ms`, options?: SreErrorOptions) {
    super(ErrorCode.TIMEOUT, message, options);
    this.timeoutMs = timeoutMs;
  }
}

// Resilience errors. CircuitOpenError, BulkheadFullError and RetryBudgetExhaustedError are sre-kit's own
// rejections: breakers never count them as downstream failures and retry policies never retry them.

/** Thrown when a circuit breaker rejects a call because it is open, half-open with no probe slot, or isolated. */
export class CircuitOpenError extends SreError {
  /** Always `ErrorCode.CIRCUIT_OPEN`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.CIRCUIT_OPEN;

  /**
   * How long until the breaker lets a probe through, in ms: 0 while half-open, `Infinity` while
   * isolated (only a release or a reset closes it).
   */
  readonly retryAfterMs: number;
  /** The breaker's name. */
  readonly breaker: string;

  constructor(breaker: string, retryAfterMs: number, options?: SreErrorOptions) {
    super(ErrorCode.CIRCUIT_OPEN, `Circuit ${breaker} is open`, options);
    this.breaker = breaker;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Thrown when a retry policy gives up: every attempt failed, or time ran out; `cause` is the last error. */
export class RetryExhaustedError extends SreError {
  /** Always `ErrorCode.RETRY_EXHAUSTED`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.RETRY_EXHAUSTED;

  /** How many attempts ran, the first included. */
  readonly attempts: number;
  declare readonly cause: unknown;

  constructor(attempts: number, cause: unknown, message = `Gave up after ${attempts} attempts`) {
    super(ErrorCode.RETRY_EXHAUSTED, message, { cause });
    this.attempts = attempts;
  }
}

/** Thrown when a retry policy wanted to retry but its retry budget refused; `cause` is the last error. */
export class RetryBudgetExhaustedError extends SreError {
  /** Always `ErrorCode.RETRY_BUDGET_EXHAUSTED`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.RETRY_BUDGET_EXHAUSTED;

  /** How many attempts ran before the budget refused the next one. */
  readonly attempts: number;
  declare readonly cause: unknown;

  constructor(attempts: number, cause: unknown) {
    super(ErrorCode.RETRY_BUDGET_EXHAUSTED, `Retry budget exhausted after ${attempts} attempts`, { cause });
    this.attempts = attempts;
  }
}

/** Thrown when a bulkhead has no free slot and no queue room, or a queued call waited too long. */
export class BulkheadFullError extends SreError {
  /** Always `ErrorCode.BULKHEAD_FULL`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.BULKHEAD_FULL;

  /** The bulkhead's concurrency limit. */
  readonly maxConcurrent: number;
  /** The bulkhead's queue limit. */
  readonly maxQueued: number;

  constructor(maxConcurrent: number, maxQueued: number, message?: string) {
    super(
      ErrorCode.BULKHEAD_FULL,
      message ?? `Bulkhead full (${maxConcurrent} running, ${maxQueued} queued)`,
    );
    this.maxConcurrent = maxConcurrent;
    this.maxQueued = maxQueued;
  }
}

/** The error a fault injector throws in place of calling the wrapped function. */
export class InjectedFaultError extends SreError {
  /** Always `ErrorCode.INJECTED_FAULT`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.INJECTED_FAULT;

  constructor(message = 'Injected fault') {
    super(ErrorCode.INJECTED_FAULT, message);
  }
}

/** A notification that could not be delivered: the HTTP status (if any), and whether retrying could help. */
export class DeliveryError extends SreError {
  /** Always `ErrorCode.DELIVERY_FAILED`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.DELIVERY_FAILED;

  /** The response status, when the server answered. */
  readonly status: number | undefined;
  /** The server's `Retry-After`, in milliseconds from when it answered. */
  readonly retryAfterMs: number | undefined;
  /** Whether another attempt might succeed (network failures, timeouts, 408, 425, 429, 5xx). */
  readonly retryable: boolean;

  constructor(
    message: string,
    details: { status?: number; retryAfterMs?: number; retryable: boolean },
    options?: SreErrorOptions,
  ) {
    super(ErrorCode.DELIVERY_FAILED, message, options);
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = details.retryable;
  }
}

/** Thrown when a rate limiter refuses a call, or would make it wait longer than its `maxWaitMs`. */
export class RateLimitedError extends SreError {
  /** Always `ErrorCode.RATE_LIMITED`, which {@link isSreError} narrows on. */
  declare readonly code: typeof ErrorCode.RATE_LIMITED;

  /** How long until the call would be admitted, in ms; `Infinity` when its cost exceeds the burst capacity. */
  readonly retryAfterMs: number;
  /** The limited key. */
  readonly key: string;

  constructor(key: string, retryAfterMs: number, message = `Rate limited; retry after ${retryAfterMs} ms`) {
    super(ErrorCode.RATE_LIMITED, message);
    this.key = key;
    this.retryAfterMs = retryAfterMs;
  }
}
