// Turns whatever a check function produced (a value, a throw, a rejection, nothing) into a safe outcome:
// a known status, scalar observed values, and at most one short line of text — never a stack trace.
import type { HealthCheckOutcome, HealthStatus, ObservedValue } from './types.js';

const MAX_OUTPUT_LENGTH = 300;
const MAX_UNIT_LENGTH = 32;

/** An outcome whose every field has been checked. */
export interface NormalizedOutcome {
  readonly status: HealthStatus;
  readonly output?: string;
  readonly observedValue?: ObservedValue;
  readonly observedUnit?: string;
}

export const PASS: NormalizedOutcome = Object.freeze({ status: 'pass' });
export const TIMED_OUT: NormalizedOutcome = Object.freeze({ status: 'fail', output: 'timed out' });

/** Reads a check function's return value; anything malformed is a failure, never a throw. */
export function outcomeFromValue(value: unknown): NormalizedOutcome {
  if (value === undefined || value === null) return PASS;
  if (typeof value !== 'object') return { status: 'fail', output: 'invalid check result' };
  let status: unknown, output: unknown, observedValue: unknown, observedUnit: unknown;
  try {
    ({ status, output, observedValue, observedUnit } = value as HealthCheckOutcome);
  } catch {
    return { status: 'fail', output: 'invalid check result' };
  }
  if (status === undefined) status = 'pass';
  else if (status !== 'pass' && status !== 'warn' && status !== 'fail')
    return { status: 'fail', output: 'invalid check status' };
  const out: { -readonly [K in keyof NormalizedOutcome]: NormalizedOutcome[K] } = {
    status: status as HealthStatus,
  };
  if (typeof output === 'string' && output !== '') out.output = oneLine(output, MAX_OUTPUT_LENGTH);
  if (
    (typeof observedValue === 'number' && Number.isFinite(observedValue)) ||
    typeof observedValue === 'boolean'
  )
    out.observedValue = observedValue;
  else if (typeof observedValue === 'string') out.observedValue = oneLine(observedValue, MAX_OUTPUT_LENGTH);
  if (typeof observedUnit === 'string' && observedUnit !== '')
    out.observedUnit = oneLine(observedUnit, MAX_UNIT_LENGTH);
  return out;
}

/** Reads a thrown value or rejection reason as a failure. */
export function outcomeFromError(error: unknown): NormalizedOutcome {
  return { status: 'fail', output: describeError(error) };
}

/** One short line saying what went wrong: the message (or code, or name), never the stack. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) {
      let message = error.message;
      // Node reports a refused dual-stack connect as an AggregateError with an empty message.
      if (message === '' && error instanceof AggregateError) {
        const first: unknown = error.errors[0];
        if (first instanceof Error) message = first.message;
      }
      if (message === '') message = (error as { code?: unknown }).code?.toString() ?? error.name;
      return oneLine(message, MAX_OUTPUT_LENGTH) || 'check failed';
    }
    if (typeof error === 'string' && error !== '') return oneLine(error, MAX_OUTPUT_LENGTH);
  } catch {
    // A hostile error object (throwing getters) still becomes a plain failure.
  }
  return 'check failed';
}

/** Collapses whitespace runs (newlines included) to one space and caps the length. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
