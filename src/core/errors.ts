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
  /** An unexpected failure inside sre-kit, reported to `onInternalError`. */
  INTERNAL: 'ERR_SRE_INTERNAL',
  /** An encoded payload (e.g. an HdrHistogram from another process) could not be decoded. */
  INVALID_ENCODING: 'ERR_SRE_INVALID_ENCODING',

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
 * Tells whether `value` is an sre-kit error, from this or any other installed copy of the library,
 * optionally with the given `code`.
 */
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
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message = `Timed out after ${timeoutMs} ms`, options?: SreErrorOptions) {
    super(ErrorCode.TIMEOUT, message, options);
    this.timeoutMs = timeoutMs;
  }
}
